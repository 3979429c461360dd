package io.tracestream.api;

import io.tracestream.auth.Route;
import io.tracestream.config.TraceStreamConfig;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * At most {@code tracestream.sse.opens-in-flight} stream opens run at once; the others wait, parked
 * without a thread ({@code startAsync}), and go on in arrival order as earlier ones finish. Why: when
 * an instance dies, its clients all reconnect to the others at once, and opening a stream is CPU
 * work (the request, the head of the trace); a thousand opens running together left an ingest
 * request one runnable thread among hundreds, waiting seconds for a core, while agents block on it.
 * Gated, an instance's opens use a few threads, and ingest and live delivery get their share of
 * the CPU at once. The opens lose nothing: the same work, done in turn.
 */
public class StreamOpenGate extends HttpFilter {

    /** Marks a request the gate let through on its second (asynchronous) pass, holding a permit for it. */
    private static final String ADMITTED = StreamOpenGate.class.getName() + ".admitted";
    /** Marks a request that waited at the gate: its open happens on the second pass. */
    private static final String PARKED = StreamOpenGate.class.getName() + ".parked";

    @Inject
    TraceStreamConfig config;

    private Semaphore permits;
    private final ConcurrentLinkedQueue<AsyncContext> waiting = new ConcurrentLinkedQueue<>();

    @Override
    public void init() {
        permits = new Semaphore(config.sseOpensInFlight());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(ADMITTED) == null) {
                chain.doFilter(request, response); // someone else's asynchronous dispatch
                return;
            }
            request.removeAttribute(ADMITTED);
            try {
                chain.doFilter(request, response);
            } finally {
                // The access filter ran on the first pass only: a stream that did not open gives its slot back here.
                StreamEnd end = StreamEnd.of(request);
                if (!end.isHandedOver()) {
                    end.run();
                }
                permits.release();
                admitWaiting();
            }
            return;
        }
        if (!isStreamOpen(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (waiting.isEmpty() && permits.tryAcquire()) {
            try {
                chain.doFilter(request, response);
            } finally {
                permits.release();
                admitWaiting();
            }
            return;
        }
        request.setAttribute(PARKED, Boolean.TRUE);
        AsyncContext parked = request.startAsync(request, response);
        parked.setTimeout(0); // the client's own patience decides; a dispatched open sets its own
        waiting.add(parked);
        admitWaiting();
    }

    /** Lets waiting opens go on, oldest first, while permits are free. */
    private void admitWaiting() {
        while (!waiting.isEmpty() && permits.tryAcquire()) {
            AsyncContext next = waiting.poll();
            if (next == null) {
                permits.release();
                return;
            }
            try {
                next.getRequest().setAttribute(ADMITTED, Boolean.TRUE);
                next.dispatch();
            } catch (IllegalStateException gone) {
                // The client left while it waited (its request was completed): the permit is free again.
                permits.release();
            }
        }
    }

    /** Whether the request waited at the gate, so that its stream opens (or not) on a later pass. */
    static boolean isParked(HttpServletRequest request) {
        return request.getAttribute(PARKED) != null;
    }

    private static boolean isStreamOpen(HttpServletRequest request) {
        return Route.of(request.getMethod(), AccessFilter.path(request), request.getHeader("Accept")).stream();
    }
}
