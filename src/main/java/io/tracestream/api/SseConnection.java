package io.tracestream.api;

import io.tracestream.stream.EntryId;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.StoredEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One client's stream of one trace: the history after its resume point, then live events, each
 * exactly once and in order.
 *
 * <p>The connection is registered for live events <em>before</em> it reads the history; live
 * events that arrive meanwhile wait in its queue, and afterwards only those past the last id
 * written are sent. Each live event names the id before it in the trace: if that is past what
 * this connection has seen, something was missed (the fan-out stream was trimmed, the reader
 * lagged) and the gap is read from the history. So the seam between replay and live, and any
 * hiccup later, neither loses nor repeats an event.
 *
 * <p>All writing happens in one task at a time on a shared executor: no thread per connection,
 * and the fan-out thread only queues. Whatever is waiting when the task runs goes out as one
 * {@link SseFrame}: one write for a burst, not one per event. The queue is bounded; a client that
 * falls that far behind is disconnected and resumes by {@code Last-Event-ID}.
 */
final class SseConnection {

    /** Queued in place of an event: write a comment, which also finds out if the client left. */
    private static final Object HEARTBEAT = new Object();
    /** Queued when the stream has lived its maximum: end it cleanly, the client resumes elsewhere. */
    private static final Object LIFETIME_OVER = new Object();
    /** The named event after a trace's last event, for clients that reconnect even on a 204. */
    static final String END_EVENT = "end";
    /** The named event before a replay that cannot start where the client asked. */
    static final String TRUNCATED_EVENT = "history-truncated";
    /** The named event carrying the trace's summary, for clients that asked for it. */
    static final String SUMMARY_EVENT = "summary";

    private final String traceId;
    private final SseEventSink sink;
    private final EventBus bus;
    private final Executor writer;
    private final Predicate<StoredEvent> filter;
    private final Settings settings;
    private final Listener listener;
    private final long openedAtMillis = System.currentTimeMillis();
    /** Set when the client's resume point fell off the capped history: the replay starts later. */
    private final String truncatedFrom;
    /** The trace's summary as JSON, sent after each batch of events; null when not asked for. */
    private final Supplier<Optional<String>> summary;

    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean overflowed;
    /** Closing it is the one way to free what Grizzly queued for a client that stopped reading. */
    private final TcpConnection tcp;
    private final ClientBacklog backlog;

    /** Only touched by the task holding {@link #scheduled}. */
    private String position;
    private boolean opened;
    private boolean replayed;
    /** End the stream once the frame is sent (the trace ended, or the stream lived its maximum). */
    private boolean closeAfterFlush;
    /** Clients read {@code retry:} with an event, so it rides on the first one. */
    private boolean retrySent;
    /** The last event written ends the workflow: end the stream once nothing follows it. */
    private boolean endPending;
    /** Events were written since the last summary was sent. */
    private boolean summaryDue;
    /** What this task has to write, sent as one frame. */
    private SseFrame frame = new SseFrame();

    /**
     * @param maxLifetimeMillis 0: streams live until the client or the trace ends them
     * @param maxFrameBytes     a frame is sent once it holds this much, even if more is waiting
     * @param maxUnsentBytes    no frame is sent while the client has more than this not taken yet
     */
    record Settings(long retryMillis, int replayPage, int maxBuffered, long maxLifetimeMillis, int maxFrameBytes,
                    int maxUnsentBytes) {}

    /** Told what happened on the connection, for the registry and the metrics. */
    interface Listener {
        /** {@code live}: the event is new to the trace, not history replayed to a (re)joining client. */
        void delivered(StoredEvent event, boolean live);

        /** The client fell {@code max-buffered} behind: drop it, off the fan-out thread. */
        void overflowed(SseConnection connection);

        /** The client has not taken what was written yet: try this connection again shortly. */
        void behind(SseConnection connection);

        void closed(SseConnection connection, boolean slowConsumer);
    }

    SseConnection(String traceId, String resumeAfter, String truncatedFrom, Supplier<Optional<String>> summary,
                  SseEventSink sink, EventBus bus, Executor writer, Predicate<StoredEvent> filter,
                  Settings settings, Listener listener, TcpConnection tcp) {
        this.summary = summary;
        this.tcp = tcp;
        this.backlog = new ClientBacklog(tcp, settings.maxUnsentBytes());
        this.traceId = traceId;
        this.position = resumeAfter;
        this.truncatedFrom = truncatedFrom;
        this.sink = sink;
        this.bus = bus;
        this.writer = writer;
        this.filter = filter;
        this.settings = settings;
        this.listener = listener;
    }

    String traceId() {
        return traceId;
    }

    /** Starts the stream: the first task writes the history, later ones the live events. */
    void start() {
        schedule();
    }

    /** Called by the fan-out thread: queue and return at once. */
    void offer(List<LiveEvent> events) {
        enqueue(events);
    }

    void heartbeat() {
        long max = settings.maxLifetimeMillis();
        enqueue(max > 0 && System.currentTimeMillis() - openedAtMillis >= max ? LIFETIME_OVER : HEARTBEAT);
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Drops a client that stopped reading: closing its connection frees what was queued for it,
     * and the writer closes the stream as a slow consumer. It resumes by Last-Event-ID.
     */
    void abortStalled() {
        overflowed = true;
        tcp.terminate();
        schedule();
    }

    private void enqueue(Object item) {
        if (closed.get()) {
            return;
        }
        if (queued.incrementAndGet() > settings.maxBuffered()) {
            queued.decrementAndGet();
            if (!overflowed) {
                overflowed = true;
                // The writer may be blocked on this very client: only closing its connection frees it.
                listener.overflowed(this);
            }
        } else {
            queue.add(item);
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    private void drain() {
        try {
            if (overflowed) {
                close(true);
                return;
            }
            if (!frame.isEmpty() && !flush()) {
                return; // still behind: the registry tries again shortly
            }
            if (!opened) {
                // Sent at once, so the client knows the stream is open before the history comes.
                frame.add(SseFrame.comment("trace " + traceId));
                if (truncatedFrom != null) {
                    named(TRUNCATED_EVENT, "{\"requested_after\":\"" + position + "\",\"replay_from\":\""
                            + truncatedFrom + "\",\"reason\":\"older events were trimmed from the history\"}");
                }
                opened = true;
                if (!flush()) {
                    return;
                }
            }
            if (!replayed) {
                if (!replay()) {
                    return; // the client is behind: the rest of the history follows when it catches up
                }
                replayed = true;
                summaryDue = true;
            }
            Object item;
            while (!closed.get() && (item = queue.poll()) != null) {
                queued.decrementAndGet();
                if (item == HEARTBEAT) {
                    frame.add(SseFrame.HEARTBEAT);
                } else if (item == LIFETIME_OVER) {
                    closeAfterFlush = true;
                    break;
                } else {
                    @SuppressWarnings("unchecked")
                    List<LiveEvent> events = (List<LiveEvent>) item;
                    for (LiveEvent e : events) {
                        live(e);
                    }
                }
                if (frame.size() >= settings.maxFrameBytes() && !flush()) {
                    return;
                }
            }
            if (summaryDue && summary != null && !closed.get()) {
                summary.get().ifPresent(json -> named(SUMMARY_EVENT, json));
            }
            summaryDue = false;
            if (endPending && queue.isEmpty() && !closeAfterFlush) {
                named(END_EVENT, "{\"trace_id\":\"" + traceId + "\",\"last_event_id\":\"" + position + "\"}");
                closeAfterFlush = true;
            }
            if (flush() && closeAfterFlush) {
                close(false);
            }
        } catch (RuntimeException e) {
            close(false);
        } finally {
            scheduled.set(false);
            if (!closed.get() && backlog.since() == 0 && (!queue.isEmpty() || overflowed)) {
                schedule();
            }
        }
    }

    /**
     * Writes the stored history after {@link #position}, page by page; false when the client fell
     * behind on the way (the rest follows later, from where it stopped).
     */
    private boolean replay() {
        while (!closed.get()) {
            List<StoredEvent> page = bus.read(traceId, position, settings.replayPage());
            for (StoredEvent e : page) {
                write(e, null, false);
            }
            boolean sent = flush();
            if (page.size() < settings.replayPage()) {
                return sent;
            }
            if (!sent) {
                return false;
            }
        }
        return false;
    }

    private void live(LiveEvent live) {
        StoredEvent e = live.event();
        if (closed.get() || !EntryId.isAfter(e.id(), position)) {
            return; // already written (replay overlap, or a claimed entry delivered again)
        }
        if (e.previousId() != null && EntryId.isAfter(e.previousId(), position)) {
            catchUp(e.id());
            if (!EntryId.isAfter(e.id(), position)) {
                return;
            }
        }
        write(e, live.sse(), true);
    }

    /**
     * Writes the stored events after {@link #position} and before {@code until}: a gap in the live
     * events (the fan-out stream was trimmed, or the reader lagged). Gaps are rare and short, so
     * they are written whether or not the client is behind.
     */
    private void catchUp(String until) {
        while (!closed.get()) {
            List<StoredEvent> page = bus.read(traceId, position, settings.replayPage());
            for (StoredEvent e : page) {
                if (!EntryId.isAfter(until, e.id())) {
                    return;
                }
                write(e, null, true);
            }
            if (page.size() < settings.replayPage()) {
                return;
            }
        }
    }

    /** Adds an event to the frame; {@code sse} is its encoded block, or null to encode it here. */
    private void write(StoredEvent e, byte[] sse, boolean live) {
        position = e.id();
        endPending = e.endsWorkflow();
        summaryDue = true;
        if (filter.test(e)) {
            if (!retrySent) {
                frame.add(SseFrame.retry(settings.retryMillis()));
                retrySent = true;
            }
            frame.add(sse != null ? sse : SseFrame.event(e.id(), null, e.json()));
            listener.delivered(e, live);
        }
    }

    private void named(String name, String json) {
        frame.add(SseFrame.event(null, name, json));
    }

    /**
     * Sends what the frame holds, in one write; false when the client has more than {@code
     * max-unsent-bytes} not taken yet, so the frame waits for it to catch up.
     */
    private boolean flush() {
        if (frame.isEmpty() || closed.get()) {
            return true;
        }
        if (backlog.behind()) {
            listener.behind(this);
            return false;
        }
        SseFrame out = frame;
        frame = new SseFrame();
        if (sink.isClosed()) {
            close(false);
            return false;
        }
        sink.send(out).whenComplete((ok, failure) -> {
            if (failure != null) {
                close(overflowed);
            }
        });
        return !closed.get();
    }

    /** Since when (nanoTime) the client has been too far behind to be written to; 0 when it is not. */
    long behindSince() {
        return backlog.since();
    }

    /** Tries again to write to a client that was behind. */
    void retry() {
        schedule();
    }

    /** Ends the stream and releases everything it held; safe to call more than once. */
    void close(boolean slowConsumer) {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            queued.set(0);
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the client is gone already
            }
            listener.closed(this, slowConsumer);
        }
    }
}
