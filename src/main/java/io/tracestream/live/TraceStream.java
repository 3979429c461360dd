package io.tracestream.live;

import io.tracestream.domain.EntryId;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.JsonFactories;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import jakarta.json.stream.JsonGenerator;

/**
 * One client's stream of one trace: the history after its resume point, then live events, each
 * exactly once and in order.
 *
 * <p>The stream is registered for live events <em>before</em> it reads the history; live events
 * that arrive meanwhile wait in its queue, and afterwards only those past the last id written are
 * sent. Each live event names the id before it in the trace: if that is past what this stream has
 * seen, something was missed (the fan-out stream was trimmed, the reader lagged) and the gap is
 * read from the history. So the seam between replay and live, and any hiccup later, neither loses
 * nor repeats an event.
 *
 * <p>All writing happens in one task at a time on a shared executor ({@link #drain}): no thread
 * per stream, and the dispatcher only queues. Whatever is waiting when the task runs goes out as
 * one {@link SseFrame}: one write for a burst. The queue is bounded; a client that falls that far
 * behind is dropped and resumes by {@code Last-Event-ID}.
 *
 * <p>The stream ends with a named {@code end} event once the trace is finished: its workflow has
 * ended (the last workflow event written, or the head's when resuming, is an end) and nothing more
 * was stored for {@code tracestream.trace.end-grace}. Why the wait: SDKs export spans concurrently,
 * so a run's last children are stored just after its root span's end, and a client that stopped at
 * the root would miss them. An event written meanwhile restarts the wait.
 */
final class TraceStream {

    /** The named event after a trace's last event, for clients that reconnect even on a 204. */
    static final String END_EVENT = "end";
    /** The named event before a replay that cannot start where the client asked. */
    static final String TRUNCATED_EVENT = "history-truncated";
    /** The named event carrying the trace's summary, for clients that asked for it. */
    static final String SUMMARY_EVENT = "summary";

    /** Queued in place of events: write a comment, which also finds out whether the client left. */
    private static final Object HEARTBEAT = new Object();
    /** Queued when the stream has lived its maximum: end it cleanly, the client resumes elsewhere. */
    private static final Object LIFETIME_OVER = new Object();
    /** Queued when the end's grace may be over: look again whether the trace is finished. */
    private static final Object SETTLE = new Object();

    /** Where the writing task is: each phase is written once, in this order. */
    private enum Phase {
        /** The opening comment (and the truncation notice) is still to be written. */
        OPENING,
        /** The stored history after the resume point is being written. */
        REPLAYING,
        /** Live events are written as they come. */
        LIVE,
        /** The stream ends once the frame in hand is sent. */
        ENDING
    }

    /** Told what happened on the stream, for the registry and the metrics. */
    interface Listener {
        /** {@code live}: the event is new to the trace, not history replayed to a (re)joining client. */
        void delivered(StoredEvent event, boolean live);

        /** The client fell {@code max-buffered} batches behind: drop it, off the dispatcher's thread. */
        void overflowed(TraceStream stream);

        /** The client has not taken what was written yet: try this stream again shortly. */
        void behind(TraceStream stream);

        void closed(TraceStream stream, boolean slowConsumer);

        /** The trace may be finished in {@code delayMillis}: call {@link TraceStream#settle} then. */
        void settleLater(TraceStream stream, long delayMillis);
    }

    private final String traceId;
    private final SseChannel channel;
    private final EventStore store;
    private final Executor writer;
    private final Predicate<StoredEvent> filter;
    private final StreamSettings settings;
    private final Listener listener;
    /** Tells when the trace has been quiet for the end's grace (this instance's wall clock). */
    private final Clock clock;
    /** Set when the client's resume point fell off the capped history: the replay starts later. */
    private final String truncatedFrom;
    /** The trace's summary as JSON, sent after each batch of events; null when not asked for. */
    private final Supplier<Optional<String>> summary;

    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    /** The history is written and no summary is asked for: live batches are written on delivery. */
    private volatile boolean writesOnDelivery;

    // Only touched by the task holding {@link #scheduled}:
    private Phase phase = Phase.OPENING;
    /** The id of the last event written (or passed over by the filter): the resume point. */
    private String position;
    /** The {@code retry:} field still to send: clients read it with an event, so it rides on the first one. */
    private byte[] retry;
    /** The event that ended the trace's workflow, as far as written (see {@link StoredEvent#workflowEndAfter}). */
    private String workflowEnd;
    /** When (epoch ms, this clock) the trace is finished if nothing more comes and its workflow has ended. */
    private long settlesAt;
    /** A {@link #SETTLE} is on its way: ask for no other. */
    private boolean settleDue;
    /** When the stream's lifetime was over while the trace's end was due; 0 when it was not (see {@link #lifetimeOver}). */
    private long lifetimeOverAt;
    /** Events were written since the last summary was sent. */
    private boolean summaryDue;
    /** Frames carry each call's full content (see {@link #includeFullContent}). */
    private boolean fullContent;
    /** What this task has to write, sent as one frame. */
    private SseFrame frame = new SseFrame();

    /**
     * @param resumeAfter   the last id the client has, or null for the whole history
     * @param truncatedFrom the oldest id kept when events after {@code resumeAfter} were trimmed; else null
     * @param workflowEnd   when resuming, the event that ended the trace's workflow as the store's head
     *                      says ({@link io.tracestream.store.TraceHead#endId}); else null
     */
    TraceStream(String traceId, String resumeAfter, String truncatedFrom, String workflowEnd, Supplier<Optional<String>> summary,
                StreamClient client, EventStore store, Executor writer,
                Predicate<StoredEvent> filter, StreamSettings settings, Instant endBy, Clock clock, Listener listener) {
        this.traceId = traceId;
        this.clock = clock;
        this.position = resumeAfter;
        this.workflowEnd = resumeAfter == null ? null : workflowEnd;
        this.settlesAt = resumeAfter == null ? 0
                : Math.min(clock.millis(), EntryId.millis(resumeAfter)) + settings.endGraceMillis();
        this.truncatedFrom = truncatedFrom;
        this.summary = summary;
        this.store = store;
        this.writer = writer;
        this.filter = filter;
        this.settings = settings;
        this.listener = listener;
        this.retry = SseFrame.retry(settings.retryHint());
        this.channel = new SseChannel(client, settings, endBy, this::closed);
    }

    String traceId() {
        return traceId;
    }

    /**
     * Each event's frame carries the full content of its call ({@code ?content=true}), read from the
     * store as it is written: for clients that want it, at the price of a store read per call.
     * Called before {@link #start}.
     */
    void includeFullContent() {
        fullContent = true;
    }

    /** A client that leaves ends the stream at once ({@link SseChannel#followClient}). */
    void followClient() {
        channel.followClient();
    }

    /** Starts the stream: the first task writes the opening and the history, later ones live events. */
    void start() {
        schedule();
    }

    /**
     * Called by the dispatcher with a live batch: queued, and written on the dispatcher's own thread
     * when the stream is live and no task holds it. Why: handing every batch of every stream to the
     * writer pool woke a pool thread per stream per batch, and on two cores those wake-ups cost more
     * than the writes; a live write never blocks (a client that is behind waits, see {@link
     * SseChannel}). Streams still replaying or sending summaries (each client's summary is written
     * for it) stay on the pool, so the dispatcher never reads a history page for them.
     */
    void deliver(List<LiveEvent> events) {
        if (!enqueue(events)) {
            return;
        }
        if (writesOnDelivery && scheduled.compareAndSet(false, true)) {
            drain();
        } else {
            schedule();
        }
    }

    void heartbeat() {
        if (enqueue(channel.lifetimeOver() ? LIFETIME_OVER : HEARTBEAT)) {
            schedule();
        }
    }

    /** The end's grace may be over: the writing task looks whether the trace is finished. */
    void settle() {
        if (enqueue(SETTLE)) {
            schedule();
        }
    }

    boolean isClosed() {
        return channel.isClosed();
    }

    /** Since when (nanoTime) the client has been too far behind to be written to; 0 when it is not. */
    long behindSince() {
        return channel.behindSince();
    }

    /** Tries again to write to a client that was behind. */
    void retry() {
        schedule();
    }

    /**
     * Drops a client that stopped reading: closing its connection frees what was queued for it,
     * and the writing task ends the stream as a slow consumer. It resumes by Last-Event-ID.
     */
    void abortStalled() {
        channel.abort();
        schedule();
    }

    /** Ends the stream and releases everything it held; safe to call more than once. */
    void close(boolean slowConsumer) {
        channel.close(slowConsumer);
    }

    private void closed(boolean slowConsumer) {
        queue.clear();
        queued.set(0);
        listener.closed(this, slowConsumer);
    }

    /** False when the stream has ended: nothing to schedule. */
    private boolean enqueue(Object item) {
        if (channel.isClosed()) {
            return false;
        }
        if (queued.incrementAndGet() > settings.maxBuffered()) {
            queued.decrementAndGet();
            if (!overflowed) {
                overflowed = true;
                // The writer may be stuck behind this very client: only closing its connection frees it.
                listener.overflowed(this);
            }
        } else {
            queue.add(item);
        }
        return true;
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            writer.execute(this::drain);
        }
    }

    /**
     * The writing task: each step returns false when the client is behind, and the task stops
     * there; the registry schedules it again once the client may have caught up.
     */
    private void drain() {
        try {
            if (overflowed || channel.isAborted()) {
                close(true);
                return;
            }
            if (sendHeldFrame() && open() && replay() && writeQueued()) {
                finishBurst();
            }
        } catch (RuntimeException e) {
            close(false);
        } finally {
            scheduled.set(false);
            if (!channel.isClosed() && channel.behindSince() == 0 && (!queue.isEmpty() || overflowed)) {
                schedule();
            }
        }
    }

    /**
     * A frame held back while the client was behind goes first. Once live, the batches queued
     * meanwhile join it instead ({@link #writeQueued} sends it when full or at the end of the
     * burst), so a client that catches up gets one write, also when each batch was delivered on
     * its own (on the dispatcher's thread) and found the client behind.
     */
    private boolean sendHeldFrame() {
        return frame.isEmpty() || phase == Phase.LIVE || flush();
    }

    /** The opening comment, sent at once so the client knows the stream is open before the history comes. */
    private boolean open() {
        if (phase != Phase.OPENING) {
            return true;
        }
        frame.add(SseFrame.comment("trace " + traceId));
        if (truncatedFrom != null) {
            named(TRUNCATED_EVENT, json(g -> g.write("requested_after", position).write("replay_from", truncatedFrom)
                    .write("reason", "older events were trimmed from the history")));
        }
        phase = Phase.REPLAYING;
        return flush();
    }

    /**
     * The stored history after {@link #position}, page by page; false when the client fell behind
     * on the way (the rest follows later, from where it stopped).
     */
    private boolean replay() {
        if (phase != Phase.REPLAYING) {
            return true;
        }
        while (!channel.isClosed()) {
            List<StoredEvent> page = store.read(traceId, position, settings.replayPage());
            for (StoredEvent e : page) {
                write(e, null, false);
            }
            boolean sent = flush();
            if (!sent) {
                return false;
            }
            if (page.size() < settings.replayPage()) {
                phase = Phase.LIVE;
                summaryDue = true;
                writesOnDelivery = summary == null;
                return true;
            }
        }
        return false;
    }

    /** Live batches, heartbeats and the end of the stream's lifetime, as they were queued. */
    private boolean writeQueued() {
        Object item;
        while (!channel.isClosed() && phase == Phase.LIVE && (item = queue.poll()) != null) {
            queued.decrementAndGet();
            if (item == HEARTBEAT) {
                frame.add(SseFrame.HEARTBEAT);
            } else if (item == SETTLE) {
                settleDue = false; // finishBurst looks, and asks again if it is too early
            } else if (item == LIFETIME_OVER) {
                lifetimeOver();
            } else {
                @SuppressWarnings("unchecked")
                List<LiveEvent> events = (List<LiveEvent>) item;
                for (LiveEvent e : events) {
                    live(e);
                }
            }
            if (frame.size() >= settings.maxFrameBytes() && !flush()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The stream has lived its maximum (or its credential expired): it ends, and the client resumes.
     * Except while the trace's end is due (its workflow ended, the grace is running): then the stream
     * ends with the trace's {@code end} instead, at most one grace later. Why: a client resuming after
     * the last event of a finished trace gets a 204, and the clients that reconnect even on a 204
     * (JAX-RS SseEventSource) would never see the {@code end} they stop on.
     */
    private void lifetimeOver() {
        long now = clock.millis();
        if (workflowEnd == null) {
            phase = Phase.ENDING;
        } else if (lifetimeOverAt == 0) {
            lifetimeOverAt = now;
        } else if (now - lifetimeOverAt >= settings.endGraceMillis()) {
            phase = Phase.ENDING; // events keep coming after the workflow's end: no longer
        }
    }

    /** The summary and the end of the trace, when due, then the frame; the stream ends if it is ending. */
    private void finishBurst() {
        if (summaryDue && summary != null && !channel.isClosed()) {
            summary.get().ifPresent(json -> named(SUMMARY_EVENT, json));
        }
        summaryDue = false;
        if (workflowEnd != null && queue.isEmpty() && phase == Phase.LIVE) {
            long wait = settlesAt - clock.millis();
            if (wait <= 0) {
                named(END_EVENT, json(g -> g.write("trace_id", traceId).write("last_event_id", position)));
                phase = Phase.ENDING;
            } else if (!settleDue) {
                settleDue = true;
                listener.settleLater(this, wait);
            }
        }
        if (flush() && phase == Phase.ENDING) {
            close(false);
        }
    }

    private void live(LiveEvent live) {
        StoredEvent e = live.event();
        if (channel.isClosed() || !EntryId.isAfter(e.id(), position)) {
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
        while (!channel.isClosed()) {
            List<StoredEvent> page = store.read(traceId, position, settings.replayPage());
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
        workflowEnd = e.workflowEndAfter(workflowEnd);
        // Quiet from when it was stored, as far as this clock can tell: a live event was stored just now.
        long now = clock.millis();
        settlesAt = (live ? now : Math.min(now, e.storedAtMillis())) + settings.endGraceMillis();
        summaryDue = true;
        if (filter.test(e)) {
            if (retry != null) {
                frame.add(retry);
                retry = null;
            }
            String withContent = fullContent
                    ? TraceEventJson.withFullContent(e.json(), () -> store.content(traceId, e.id()).orElse(null)) : null;
            if (withContent != null) {
                frame.add(SseFrame.event(e.id(), SseFrame.nameOf(e), withContent));
            } else {
                frame.add(sse != null ? sse : SseFrame.of(e));
            }
            listener.delivered(e, live);
        }
    }

    private void named(String name, String json) {
        frame.add(SseFrame.event(null, name, json));
    }

    private static String json(java.util.function.Consumer<JsonGenerator> fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(out)) {
            g.writeStartObject();
            fields.accept(g);
            g.writeEnd();
        }
        return out.toString();
    }

    /**
     * Sends what the frame holds, in one write; false when the client has more than {@code
     * max-unsent-bytes} not taken yet (the frame waits for it to catch up) or the stream ended.
     */
    private boolean flush() {
        if (frame.isEmpty() || channel.isClosed()) {
            return !channel.isClosed();
        }
        SseFrame out = frame;
        frame = new SseFrame();
        return switch (channel.send(out)) {
            case SENT -> true;
            case BEHIND -> {
                frame = out;
                listener.behind(this);
                yield false;
            }
            case CLOSED -> false;
        };
    }
}
