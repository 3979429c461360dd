package io.tracestream.http;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
    /**
     * How long after a parked request's first pass left this filter another thread may dispatch it.
     * Why: Payara keeps an {@code AsyncContext.dispatch()} made by another thread while the request's
     * first pass is still inside the container for later, then looks for it in a thread-local of the
     * request's own thread and never runs it: that client waited forever (a stream open in
     * MemoryBackendIT's thousand-stream test). The request's own thread may dispatch it at once.
     */
    private static final long HAND_OFF_GRACE_MILLIS = 50;

    /** A request waiting at the gate. */
    private static final class Parked {
        final AsyncContext context;
        /** System.nanoTime when its first pass left this filter; 0 while it has not. */
        volatile long leftAt;

        Parked(AsyncContext context) {
            this.context = context;
        }

        boolean safeToHandOff() {
            long left = leftAt;
            return left != 0 && System.nanoTime() - left >= TimeUnit.MILLISECONDS.toNanos(HAND_OFF_GRACE_MILLIS);
        }
    }

    @Inject
    TraceStreamConfig config;

    private Semaphore permits;
    private final ConcurrentLinkedQueue<Parked> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private ScheduledExecutorService later;

    @Override
    public void init() {
        permits = new Semaphore(config.sseOpensInFlight());
        later = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracestream-stream-open-gate");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void destroy() {
        later.shutdownNow();
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
                SseConnection.dispatched(request); // from now on the client's close is watched
                // The access filter ran on the first pass only: a stream that did not open gives its slot back here.
                StreamEnd end = StreamEnd.of(request);
                if (!end.isHandedOver()) {
                    end.run();
                }
                permits.release();
                admitWaiting(null);
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
                SseConnection.dispatched(request); // from now on the client's close is watched
                permits.release();
                admitWaiting(null);
            }
            return;
        }
        request.setAttribute(PARKED, Boolean.TRUE);
        AsyncContext context = request.startAsync(request, response);
        context.setTimeout(0); // the client's own patience decides; a dispatched open sets its own
        Parked parked = new Parked(context);
        waiting.add(parked);
        admitWaiting(parked);
        parked.leftAt = System.nanoTime();
    }

    /**
     * Lets waiting opens go on, oldest first, while permits are free. {@code own} is the request
     * this thread is serving, which it may dispatch at once; others only once safe to hand off.
     */
    private void admitWaiting(Parked own) {
        Parked next;
        while ((next = waiting.peek()) != null) {
            if (next != own && !next.safeToHandOff()) {
                retryLater();
                return;
            }
            if (!permits.tryAcquire()) {
                return; // the next open to finish admits it
            }
            if (!waiting.remove(next)) {
                permits.release(); // another thread admitted it first
                continue;
            }
            try {
                next.context.getRequest().setAttribute(ADMITTED, Boolean.TRUE);
                next.context.dispatch();
            } catch (IllegalStateException gone) {
                // The client left while it waited (its request was completed): the permit is free again.
                permits.release();
            }
        }
    }

    /** Admits again once the oldest waiting request may be handed off. */
    private void retryLater() {
        if (retryScheduled.compareAndSet(false, true)) {
            later.schedule(() -> {
                retryScheduled.set(false);
                admitWaiting(null);
            }, HAND_OFF_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the request waited at the gate, so that its stream opens (or not) on a later pass. */
    static boolean isParked(HttpServletRequest request) {
        return request.getAttribute(PARKED) != null;
    }

    private static boolean isStreamOpen(HttpServletRequest request) {
        return Route.of(request).stream();
    }
}
