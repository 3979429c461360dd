package io.tracestream.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The one port between Trace Stream and where events live: it stores each trace's history, and it
 * tells this instance about the new events of the traces it watches (stored by any instance), in
 * each trace's history order.
 *
 * <p>Two adapters implement it: {@code memory} (one instance, zero setup) and {@code redis}
 * (several instances sharing one Redis). Both keep the same promises:
 * <ul>
 *   <li>{@link #append} is all or nothing (events and their content), and a {@code 2xx} built on its answer means stored;</li>
 *   <li>ids of one trace increase strictly, and live events arrive in that order;</li>
 *   <li>each live event names the id before it in its trace, so a listener notices a gap.</li>
 * </ul>
 */
public interface EventStore {

    /**
     * Stores events at the end of a trace's history, atomically, and announces them to the
     * listeners of every instance. An event whose {@code eventId} was already stored in this trace
     * within the dedup window is not stored again: its original id is answered instead.
     *
     * @throws StoreUnavailableException when the store cannot be reached; nothing was stored
     */
    AppendResult append(String traceId, List<NewEvent> events);

    /**
     * Up to {@code limit} events of a trace with ids greater than {@code afterId} (all when
     * {@code afterId} is null), oldest first.
     */
    List<StoredEvent> read(String traceId, String afterId, int limit);

    /**
     * The content stored with an event (its {@link NewEvent#content}), if the event is stored with
     * content and has not expired with its trace.
     */
    Optional<String> content(String traceId, String id);

    /** Where the trace's history starts and ends, if the trace exists. */
    Optional<TraceHead> head(String traceId);

    /**
     * Traces by last activity, newest first: up to {@code limit} after {@code cursor} (from the
     * newest when null). May include a trace that expired a moment ago; callers skip those.
     */
    List<TraceActivity> recentTraces(TraceActivity cursor, int limit);

    /**
     * Registers a receiver of live events of the given share, at start: one for the watched traces
     * (the live engine); the once-per-event share may have several (workflow metrics, run guards),
     * each given every batch in turn, in the order registered.
     */
    void subscribe(Share share, LiveListener listener);

    /**
     * Starts watching a trace: once the answer completes, every event stored in it afterwards, by
     * any instance, reaches the {@link Share#WATCHED_TRACES} listener, until {@link #unwatch} is
     * called as often as this. Why per trace: with several instances, an instance then receives
     * the events its clients watch, not every event of every instance.
     *
     * <p>An event stored just before the answer completes may arrive too; after a lost
     * connection, the trace's newest event is delivered again, so a listener that tracks each
     * event's predecessor notices what it missed and reads it from the history.
     */
    CompletionStage<Void> watch(String traceId);

    /** Stops one {@link #watch} of the trace; the last one stops its delivery. */
    void unwatch(String traceId);
}
