package io.tracestream.store;

import java.util.List;
import java.util.Optional;

/**
 * The one port between Trace Stream and where events live: it stores each trace's history, and it
 * tells this instance about every event stored by any instance, in each trace's history order.
 *
 * <p>Two adapters implement it: {@code memory} (one instance, zero setup) and {@code redis}
 * (several instances sharing one Redis). Both keep the same promises:
 * <ul>
 *   <li>{@link #append} is all or nothing, and a {@code 2xx} built on its answer means stored;</li>
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

    /** Where the trace's history starts and ends, if the trace exists. */
    Optional<TraceHead> head(String traceId);

    /**
     * Traces by last activity, newest first: up to {@code limit} after {@code cursor} (from the
     * newest when null). May include a trace that expired a moment ago; callers skip those.
     */
    List<TraceActivity> recentTraces(TraceActivity cursor, int limit);

    /** Registers this instance's one receiver of live events of the given share; call once per share, at start. */
    void subscribe(Share share, LiveListener listener);
}
