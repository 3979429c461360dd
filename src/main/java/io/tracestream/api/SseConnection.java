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
    /** Closing it is the one way to free a writer blocked on a client that stopped reading. */
    private final TcpConnection tcp;
    /** When the write in progress began ({@link System#nanoTime}), or 0 when none is. */
    private volatile long writingSince;

    /** Only touched by the task holding {@link #scheduled}. */
    private String position;
    private boolean replayed;
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
     */
    record Settings(long retryMillis, int replayPage, int maxBuffered, long maxLifetimeMillis, int maxFrameBytes) {}

    /** Told what happened on the connection, for the registry and the metrics. */
    interface Listener {
        /** {@code live}: the event is new to the trace, not history replayed to a (re)joining client. */
        void delivered(StoredEvent event, boolean live);

        /** The client fell {@code max-buffered} behind: drop it, off the fan-out thread. */
        void overflowed(SseConnection connection);

        void closed(SseConnection connection, boolean slowConsumer);
    }

    SseConnection(String traceId, String resumeAfter, String truncatedFrom, Supplier<Optional<String>> summary,
                  SseEventSink sink, EventBus bus, Executor writer, Predicate<StoredEvent> filter,
                  Settings settings, Listener listener, TcpConnection tcp) {
        this.summary = summary;
        this.tcp = tcp;
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

    /** True when one write has been blocked longer than {@code timeoutNanos}: the client stopped reading. */
    boolean isStalled(long nowNanos, long timeoutNanos) {
        long since = writingSince;
        return since != 0 && nowNanos - since > timeoutNanos;
    }

    /**
     * Drops a client that stopped reading: closing its connection fails the blocked write, and
     * the writer closes the stream as a slow consumer. It resumes by Last-Event-ID.
     */
    void abortStalled() {
        overflowed = true;
        tcp.terminate();
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
            if (!replayed) {
                // Sent at once, so the client knows the stream is open before the history comes.
                frame.add(SseFrame.comment("trace " + traceId));
                if (truncatedFrom != null) {
                    named(TRUNCATED_EVENT, "{\"requested_after\":\"" + position + "\",\"replay_from\":\""
                            + truncatedFrom + "\",\"reason\":\"older events were trimmed from the history\"}");
                }
                flush();
                catchUp(null);
                replayed = true;
                summaryDue = true;
            }
            Object item;
            while (!closed.get() && (item = queue.poll()) != null) {
                queued.decrementAndGet();
                if (item == HEARTBEAT) {
                    frame.add(SseFrame.HEARTBEAT);
                } else if (item == LIFETIME_OVER) {
                    flush();
                    close(false);
                } else {
                    @SuppressWarnings("unchecked")
                    List<LiveEvent> events = (List<LiveEvent>) item;
                    for (LiveEvent e : events) {
                        live(e);
                    }
                }
                if (frame.size() >= settings.maxFrameBytes()) {
                    flush();
                }
            }
            if (summaryDue && summary != null && !closed.get()) {
                summary.get().ifPresent(json -> named(SUMMARY_EVENT, json));
            }
            summaryDue = false;
            if (overflowed) {
                close(true);
            } else if (endPending && queue.isEmpty()) {
                named(END_EVENT, "{\"trace_id\":\"" + traceId + "\",\"last_event_id\":\"" + position + "\"}");
                flush();
                close(false);
            } else {
                flush();
            }
        } catch (RuntimeException e) {
            close(false);
        } finally {
            scheduled.set(false);
            if (!closed.get() && (!queue.isEmpty() || overflowed)) {
                schedule();
            }
        }
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
     * Writes stored history after {@link #position}, page by page; up to (excluding) {@code until}
     * when filling a gap, to the end of the history otherwise.
     */
    private void catchUp(String until) {
        while (!closed.get()) {
            List<StoredEvent> page = bus.read(traceId, position, settings.replayPage());
            for (StoredEvent e : page) {
                if (until != null && !EntryId.isAfter(until, e.id())) {
                    return;
                }
                write(e, null, until != null);
            }
            flush();
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

    /** Sends what the frame holds, in one write. */
    private void flush() {
        if (frame.isEmpty() || closed.get()) {
            return;
        }
        SseFrame out = frame;
        frame = new SseFrame();
        if (sink.isClosed()) {
            close(false);
            return;
        }
        writingSince = System.nanoTime();
        try {
            sink.send(out).whenComplete((ok, failure) -> {
                if (failure != null) {
                    close(overflowed);
                }
            });
        } finally {
            writingSince = 0;
        }
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
