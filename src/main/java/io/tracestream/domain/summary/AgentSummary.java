package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import java.time.Instant;

/**
 * One agent of a trace, as of the snapshot.
 *
 * @param timesCalled   how often another agent called it or handed work to it
 * @param tasks         tasks it started (a retry is a second task)
 * @param busyMs        wall-clock time it had at least one step open; overlapping steps count once
 * @param lastEventAt   timestamp of the last event it emitted; {@code null} if it was only named
 *                      by others (called, handed to, sent a message) and never reported itself
 * @param lastError     the error of its most recent failure, even if a retry then succeeded
 */
public record AgentSummary(
        String agentId,
        AgentState state,
        Instant firstSeenAt,
        Instant lastEventAt,
        String lastEventType,
        int timesCalled,
        int tasks,
        int llmCalls,
        int toolCalls,
        long busyMs,
        EventError lastError) {}
