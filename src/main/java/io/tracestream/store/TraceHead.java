package io.tracestream.store;

import io.tracestream.domain.EntryId;

/**
 * Where a trace's history starts and ends.
 *
 * @param ended     the last event ends the workflow (workflow_completed or workflow_failed)
 * @param trimmedId the newest id dropped by the history cap, or {@code null} when none was
 */
public record TraceHead(String firstId, String lastId, boolean ended, String trimmedId) {

    /** True when events after {@code resumeAfter} were trimmed: a replay from it would be partial. */
    public boolean lostAfter(String resumeAfter) {
        return resumeAfter != null && trimmedId != null && EntryId.isAfter(trimmedId, resumeAfter);
    }

    /** True when a client that has {@code resumeAfter} already has everything, the end included. */
    public boolean finishedFor(String resumeAfter) {
        return ended && resumeAfter != null && !EntryId.isAfter(lastId, resumeAfter);
    }
}
