package io.tracestream.api;

import jakarta.ws.rs.sse.SseEventSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's stream of list changes: the latest row of each trace that changed, as {@link
 * ListStreams} hands them over. Only the list streams' one thread calls it (except {@link #close},
 * which a failed write may call from anywhere), so it holds no lock.
 *
 * <p>Rows are state, not history: a row waiting for a client that is behind is replaced by the
 * trace's next one, so what waits is at most one row per trace. A client that stays behind past
 * {@code write-timeout}, or has more than {@code max-buffered} rows waiting, is disconnected; its
 * EventSource reconnects and the page resyncs from {@code /ui/list.json}, so nothing is lost.
 */
final class ListConnection {

    /** The comment that opens the stream, so the client sees it open before any row. */
    private static final String OPENING = "traces";

    private final ListFilter filter;
    private final SseEventSink sink;
    private final TcpConnection tcp;
    private final ClientBacklog backlog;
    private final Settings settings;
    private final Listener listener;
    private final long openedAtNanos = System.nanoTime();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Rows not sent yet, by trace id, oldest change first. */
    private final Map<String, byte[]> waiting = new LinkedHashMap<>();
    private boolean opened;
    private boolean heartbeatDue;

    /**
     * @param maxLifetimeNanos 0: the stream lives until the client leaves
     * @param maxWaiting       rows waiting for a client that is behind, beyond which it is dropped
     */
    record Settings(long retryMillis, long maxLifetimeNanos, int maxUnsentBytes, long writeTimeoutNanos,
                    int maxWaiting) {}

    /** Told when the stream ended, for the registry and the metrics. */
    interface Listener {
        void closed(ListConnection connection, boolean slowConsumer);
    }

    ListConnection(ListFilter filter, SseEventSink sink, TcpConnection tcp, Settings settings,
                   Listener listener) {
        this.filter = filter;
        this.sink = sink;
        this.tcp = tcp;
        this.backlog = new ClientBacklog(tcp, settings.maxUnsentBytes());
        this.settings = settings;
        this.listener = listener;
    }

    ListFilter filter() {
        return filter;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The trace's newest row, replacing one still waiting. */
    void add(String traceId, byte[] sse) {
        waiting.remove(traceId);
        waiting.put(traceId, sse);
    }

    /** Ends the stream cleanly once it lived its maximum; else makes sure something is written soon. */
    void heartbeat() {
        long max = settings.maxLifetimeNanos();
        if (max > 0 && System.nanoTime() - openedAtNanos >= max) {
            close(false); // the client reconnects at once and resyncs, perhaps on another instance
            return;
        }
        heartbeatDue = true;
    }

    /**
     * Writes what waits, in one frame; true when a client that is behind kept it waiting, so the
     * caller tries again shortly.
     */
    boolean flush() {
        if (closed.get()) {
            return false;
        }
        if (opened && waiting.isEmpty() && !heartbeatDue) {
            return false;
        }
        if (backlog.behind()) {
            if (System.nanoTime() - backlog.since() > settings.writeTimeoutNanos() || waiting.size() > settings.maxWaiting()) {
                abort();
                return false;
            }
            return true;
        }
        SseFrame frame = new SseFrame();
        if (!opened) {
            // retry: is read with the lines it comes with: on the opening comment, before any row.
            frame.add(SseFrame.retry(settings.retryMillis()));
            frame.add(SseFrame.comment(OPENING));
            opened = true;
        }
        waiting.values().forEach(frame::add);
        waiting.clear();
        if (frame.isEmpty()) {
            frame.add(SseFrame.HEARTBEAT);
        }
        heartbeatDue = false;
        if (sink.isClosed()) {
            close(false);
            return false;
        }
        try {
            sink.send(frame).whenComplete((ok, failure) -> {
                if (failure != null) {
                    close(false);
                }
            });
        } catch (RuntimeException e) {
            close(false); // the client left between the check above and the write
        }
        return false;
    }

    /** Drops a client that stopped reading: closing its connection frees what Grizzly queued for it. */
    private void abort() {
        tcp.terminate();
        close(true);
    }

    /** Ends the stream; safe to call more than once. */
    void close(boolean slowConsumer) {
        if (closed.compareAndSet(false, true)) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the client is gone already
            }
            listener.closed(this, slowConsumer);
        }
    }
}
