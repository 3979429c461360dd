package io.tracestream.domain.summary;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one trace at one moment. Immutable; made by
 * {@link TraceSummarizer#snapshot(Instant)}.
 *
 * @param traceId       {@code null} before the first event
 * @param startedAt     the earliest event timestamp, or the start of a step reported only by its
 *                      end and {@code duration_ms} when that is earlier; {@code null} before the
 *                      first event
 * @param endedAt       the timestamp of {@code workflow_completed} or {@code workflow_failed};
 *                      {@code null} while running
 * @param lastEventAt   the latest event timestamp: what stall detection measures from
 * @param durationMs    end minus start; while running, up to the snapshot's {@code now}
 * @param lastEventId   store id of the last event applied, in stored order (a span trace may
 *                      have folded it earlier): where a reader resumes
 * @param agents        in the order first seen
 * @param steps         in the order first reported; {@link Step#index()} is the position here
 * @param eventCounts   events by {@code event_type}, sorted; unknown types are counted too
 * @param interactions  calls, hand-offs, messages, returns and failures between agents, in trace
 *                      order: the input of {@link SequenceDiagram}
 * @param warnings      oddities that were tolerated (a completion with no start, a duplicate
 *                      start...), at most {@link TraceSummarizer#MAX_WARNINGS}
 * @param alerts        the run guards' findings ({@code alert} events), in the order raised, each as
 *                      last stored (open, or resolved)
 */
public record TraceSummary(
        String traceId,
        TraceStatus status,
        Instant startedAt,
        Instant endedAt,
        Instant lastEventAt,
        long durationMs,
        long eventCount,
        String lastEventId,
        List<AgentSummary> agents,
        List<Step> steps,
        DependencyGraph graph,
        CriticalPath criticalPath,
        Failures failures,
        UsageSummary usage,
        Map<String, Long> eventCounts,
        List<Interaction> interactions,
        List<String> warnings,
        List<JsonObject> alerts) {

    /** The findings of the run guards not yet resolved. */
    public long openAlerts() {
        return alerts.stream().filter(a -> !a.getBoolean("resolved", false)).count();
    }
}
