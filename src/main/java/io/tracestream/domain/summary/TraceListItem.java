package io.tracestream.domain.summary;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of {@code GET /traces}: enough to pick a trace without loading its whole summary.
 *
 * @param costUsd    {@code null} when part of the cost is unknown (see {@link Usage#costUsd()})
 * @param openAlerts the run guards' findings not yet resolved: the list's badge
 */
public record TraceListItem(
        String traceId,
        TraceStatus status,
        Instant startedAt,
        Instant endedAt,
        long durationMs,
        int agentCount,
        BigDecimal costUsd,
        Instant lastEventAt,
        long eventCount,
        long openAlerts) {

    public static TraceListItem of(TraceSummary s) {
        return new TraceListItem(s.traceId(), s.status(), s.startedAt(), s.endedAt(), s.durationMs(),
                s.agents().size(), s.usage().total().costUsd(), s.lastEventAt(), s.eventCount(), s.openAlerts());
    }
}
