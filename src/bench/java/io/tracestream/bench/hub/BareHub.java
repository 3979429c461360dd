package io.tracestream.bench.hub;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stack floor: the least a servlet on the same Payara Micro can do to relay events to SSE
 * subscribers. A POSTed body is written, as one SSE frame, to every open stream of its trace, with
 * a blocking write and flush per client; nothing is stored, validated or deduplicated. The
 * benchmark packs this class alone into a WAR of its own and measures Trace Stream beside it, so
 * that what Payara itself costs is measured in the same run. Not part of the product.
 *
 * <p>The one thing kept is each trace's first frame, replayed to a new subscriber: the
 * benchmark's clients count a stream as open when its first event (number 0) arrives, as Trace
 * Stream's history replay gives it to them.
 */
@WebServlet(urlPatterns = "/traces/*", asyncSupported = true)
public class BareHub extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** A trace's subscribers and frame counter; every write to them holds its lock, so ids arrive in order. */
    private static final class Trace {
        final List<AsyncContext> subscribers = new ArrayList<>();
        byte[] first;
        long frames;
    }

    private final transient ConcurrentHashMap<String, Trace> traces = new ConcurrentHashMap<>();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        Trace trace = traces.computeIfAbsent(traceId(request), id -> new Trace());
        synchronized (trace) {
            byte[] frame = frame(++trace.frames, body);
            if (trace.first == null) {
                trace.first = frame;
            }
            for (Iterator<AsyncContext> it = trace.subscribers.iterator(); it.hasNext(); ) {
                try {
                    ServletOutputStream out = it.next().getResponse().getOutputStream();
                    out.write(frame);
                    out.flush();
                } catch (IOException | IllegalStateException gone) {
                    it.remove();
                }
            }
        }
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Trace trace = traces.computeIfAbsent(traceId(request), id -> new Trace());
        response.setContentType("text/event-stream");
        AsyncContext subscriber = request.startAsync();
        subscriber.setTimeout(0);
        subscriber.addListener(new Unsubscribe(trace, subscriber));
        synchronized (trace) {
            ServletOutputStream out = response.getOutputStream();
            if (trace.first != null) {
                out.write(trace.first);
            }
            out.flush();
            trace.subscribers.add(subscriber);
        }
    }

    /** {@code /traces/{id}/events} and {@code /traces/{id}/stream}: the segment after /traces/. */
    private static String traceId(HttpServletRequest request) {
        String path = request.getPathInfo();
        int end = path.indexOf('/', 1);
        return end < 0 ? path.substring(1) : path.substring(1, end);
    }

    private static byte[] frame(long number, byte[] body) {
        byte[] head = ("id: 0-" + number + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + body.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    /** Drops a subscriber whose request ended. */
    private record Unsubscribe(Trace trace, AsyncContext subscriber) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            remove();
        }

        @Override
        public void onError(AsyncEvent event) {
            remove();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            remove();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not re-started
        }

        private void remove() {
            synchronized (trace) {
                trace.subscribers.remove(subscriber);
            }
        }
    }
}
