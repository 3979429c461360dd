package io.tracestream.live;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client's stream of list changes: the latest row of each trace that changed, as {@link
 * ListStreams} hands them over. Only the list streams' one thread calls it (except {@link #close},
 * which a failed write may call from anywhere), so it holds no lock.
 *
 * <p>Rows are state, not history: a row waiting for a client that is behind is replaced by the
 * trace's next one, so what waits is at most one row per trace. A client that stays behind past
 * {@code write-timeout}, or has more than {@code max-buffered} rows waiting, is dropped; its
 * EventSource reconnects and the page resyncs from {@code /ui/list.json}, so nothing is lost.
 */
final class ListStream {

    /** The comment that opens the stream, so the client sees it open before any row. */
    private static final String OPENING = "traces";

    /** Told when the stream ended, for the registry and the metrics. */
    interface Listener {
        void closed(ListStream stream, boolean slowConsumer);
    }

    private final ListFilter filter;
    private final SseChannel channel;
    private final StreamSettings settings;

    /** Rows not sent yet, by trace id, oldest change first. */
    private final Map<String, byte[]> waiting = new LinkedHashMap<>();
    private boolean opened;
    private boolean heartbeatDue;

    ListStream(ListFilter filter, StreamClient client, StreamSettings settings,
               Instant endBy, Listener listener) {
        this.filter = filter;
        this.settings = settings;
        this.channel = new SseChannel(client, settings, endBy, slow -> listener.closed(this, slow));
    }

    /** A client that leaves ends the stream at once ({@link SseChannel#followClient}). */
    void followClient() {
        channel.followClient();
    }

    ListFilter filter() {
        return filter;
    }

    boolean isClosed() {
        return channel.isClosed();
    }

    /** The trace's newest row, replacing one still waiting. */
    void add(String traceId, byte[] sse) {
        waiting.remove(traceId);
        waiting.put(traceId, sse);
    }

    /** Ends the stream cleanly once it lived its maximum; else makes sure something is written soon. */
    void heartbeat() {
        if (channel.lifetimeOver()) {
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
        if (channel.isClosed() || (opened && waiting.isEmpty() && !heartbeatDue)) {
            return false;
        }
        SseFrame frame = new SseFrame();
        if (!opened) {
            // retry: is read with the lines it comes with: on the opening comment, before any row.
            frame.add(SseFrame.retry(settings.retryHint()));
            frame.add(SseFrame.comment(OPENING));
        }
        waiting.values().forEach(frame::add);
        if (frame.isEmpty()) {
            frame.add(SseFrame.HEARTBEAT);
        }
        switch (channel.send(frame)) {
            case SENT -> {
                opened = true;
                waiting.clear();
                heartbeatDue = false;
                return false;
            }
            case BEHIND -> {
                if (stalled()) {
                    channel.abort();
                    close(true);
                    return false;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Behind for longer than write-timeout, or with more rows waiting than max-buffered. */
    private boolean stalled() {
        return System.nanoTime() - channel.behindSince() > TimeUnit.MILLISECONDS.toNanos(settings.writeTimeoutMillis())
                || waiting.size() > settings.maxBuffered();
    }

    /** Ends the stream; safe to call more than once. */
    void close(boolean slowConsumer) {
        channel.close(slowConsumer);
    }
}
