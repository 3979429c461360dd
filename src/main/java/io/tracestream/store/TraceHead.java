package io.tracestream.store;

import io.tracestream.domain.EntryId;

/**
 * Where a trace's history starts and ends, and whether its workflow has ended.
 *
 * <p>A workflow's end is its last word only once nothing more arrives for a while: OpenTelemetry
 * SDKs export each span when it ends, in concurrent requests, so a run's last children are often
 * stored a few milliseconds after its root span's end. A trace is <em>finished</em> when its
 * workflow has ended and nothing was stored for {@code tracestream.trace.end-grace} since.
 *
 * @param endId     the event that ended the workflow ({@code workflow_completed} or {@code workflow_failed},
 *                  not necessarily the last event), or {@code null} while it runs
 * @param trimmedId the newest id dropped by the history cap, or {@code null} when none was
 */
public record TraceHead(String firstId, String lastId, String endId, String trimmedId) {

    /** True once the workflow has ended, though late events may still come (see {@link #finishedAt}). */
    public boolean ended() {
        return endId != null;
    }

    /** True when the workflow has ended and nothing was stored for {@code graceMillis} before {@code nowMillis}. */
    public boolean finishedAt(long nowMillis, long graceMillis) {
        return ended() && nowMillis - EntryId.millis(lastId) >= graceMillis;
    }

    /** True when events after {@code resumeAfter} were trimmed: a replay from it would be partial. */
    public boolean lostAfter(String resumeAfter) {
        return resumeAfter != null && trimmedId != null && EntryId.isAfter(trimmedId, resumeAfter);
    }

    /** True when the trace is finished and a client that has {@code resumeAfter} already has every event. */
    public boolean finishedFor(String resumeAfter, long nowMillis, long graceMillis) {
        return finishedAt(nowMillis, graceMillis) && resumeAfter != null && !EntryId.isAfter(lastId, resumeAfter);
    }
}
