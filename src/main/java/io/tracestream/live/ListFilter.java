package io.tracestream.live;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.traces.TraceRows.RowJson;
import java.util.List;

/**
 * Which rows one list stream wants: the {@code status} and {@code agent_id} of {@code GET /traces},
 * and only traces its client's key may see.
 *
 * @param status null for every status
 * @param agent  null for every agent
 * @param tracePrefixes only traces whose id starts with one of these; empty for every trace
 */
public record ListFilter(TraceStatus status, String agent, List<String> tracePrefixes) {

    public ListFilter {
        tracePrefixes = List.copyOf(tracePrefixes);
    }

    /** Every trace's rows, as status and agent select them. */
    public ListFilter(TraceStatus status, String agent) {
        this(status, agent, List.of());
    }

    /**
     * @param previous the trace's status in the row the list streams sent last; null when none was sent
     *                 (or it was forgotten)
     */
    boolean wants(RowJson row, TraceStatus previous) {
        if (!tracePrefixes.isEmpty() && tracePrefixes.stream().noneMatch(row.traceId()::startsWith)) {
            return false;
        }
        if (agent != null && !row.agents().contains(agent)) {
            return false; // a trace's agents only grow: one that did not match was never sent
        }
        // A trace leaving the status asked for is sent once more, so the client can take its row off.
        return status == null || row.status() == status || previous == null || previous == status;
    }
}
