package io.tracestream.stream;

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
public interface EventBus {

    /**
     * Stores events at the end of a trace's history, atomically, and announces them to every
     * instance's {@link LiveListener}. An event whose {@code eventId} was already stored in this
     * trace within the dedup window is not stored again: its original id is answered instead.
     *
     * @throws StoreUnavailableException when the store cannot be reached; nothing was stored
     */
    AppendResult append(String traceId, List<NewEvent> events);

    /**
     * Up to {@code limit} events of a trace with ids greater than {@code afterId} (all when
     * {@code afterId} is null), oldest first.
     */
    List<StoredEvent> read(String traceId, String afterId, int limit);

    /** The newest event of a trace, if the trace exists. */
    Optional<TraceHead> head(String traceId);

    /**
     * Traces by last activity, newest first: up to {@code limit} after {@code cursor} (from the
     * newest when null). May include a trace that expired a moment ago; callers skip those.
     */
    List<TraceActivity> recentTraces(TraceActivity cursor, int limit);

    /** Registers this instance's single receiver of live events; call once, at start. */
    void setLiveListener(LiveListener listener);

    /**
     * Registers the receiver of work that must happen once per event across all instances (such
     * as counting workflow metrics): each instance's receiver gets a share of the events, each
     * trace's share in order, and a dead instance's share is taken over by the others.
     */
    void setWorkListener(LiveListener listener);

    /** The store's record of running workflows and agent activity. */
    WorkflowActivity workflowActivity();

    /** True when the store answers and its consumers run: live delivery, and the work done once per event. */
    boolean isAvailable();

    /** A short name for logs and health: {@code memory} or {@code redis}. */
    String name();

    /** An event ready to be stored: its JSON without {@code id}, and the fields filters need. */
    record NewEvent(String eventType, String agentId, String eventId, String json) {}

    /** The ids assigned, in request order, and how many were new (not duplicates). */
    record AppendResult(List<String> ids, int stored) {}

    /**
     * Where a trace's history starts and ends.
     *
     * @param ended     the last event ends the workflow (workflow_completed or workflow_failed)
     * @param trimmedId the newest id dropped by the history cap, or {@code null} when none was
     */
    record TraceHead(String firstId, String lastId, boolean ended, String trimmedId) {

        /** True when events after {@code resumeAfter} were trimmed: a replay from it would be partial. */
        public boolean lostAfter(String resumeAfter) {
            return resumeAfter != null && trimmedId != null && EntryId.isAfter(trimmedId, resumeAfter);
        }

        /** True when a client that has {@code resumeAfter} already has everything, the end included. */
        public boolean finishedFor(String resumeAfter) {
            return ended && resumeAfter != null && !EntryId.isAfter(lastId, resumeAfter);
        }
    }

    /** A trace and when it last received an event (epoch ms): a position in the list of traces. */
    record TraceActivity(String traceId, long lastEventMillis) {

        /** True when this trace comes after {@code cursor} in newest-first order. */
        public boolean isAfter(TraceActivity cursor) {
            return cursor == null || lastEventMillis < cursor.lastEventMillis()
                    || (lastEventMillis == cursor.lastEventMillis() && traceId.compareTo(cursor.traceId()) < 0);
        }
    }

    /** Receives every event stored by any instance, in each trace's order. */
    @FunctionalInterface
    interface LiveListener {
        /** Called from the bus's delivery thread; must not block. */
        void onEvents(String traceId, List<StoredEvent> events);
    }
}
