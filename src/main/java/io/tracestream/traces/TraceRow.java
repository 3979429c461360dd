package io.tracestream.traces;

import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.summary.AgentSummary;
import io.tracestream.domain.summary.Failures;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.domain.summary.Usage;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One line of the trace list: more than {@code GET /traces} gives (the agents' names and the
 * first error), because a person picks a trace by who took part and what went wrong.
 *
 * @param cost  {@code null} when part of the cost is unknown; {@code knownCost} is then a floor
 * @param costEstimated part of the cost is estimated from token counts, not reported by the agents
 * @param error the first failure's message, or the workflow's error; {@code null} when none
 * @param alerts the run guards' findings still open: the row's badge
 */
public record TraceRow(String traceId, TraceStatus status, List<String> agents, Instant startedAt,
                       Instant endedAt, long durationMs, BigDecimal cost, BigDecimal knownCost, boolean costEstimated,
                       Instant lastEventAt, long eventCount, String error, OpenAlerts alerts) {

    /**
     * The open findings of a run as its row shows them: how many, the most urgent severity, and the
     * latest one's message (the badge's title).
     */
    public record OpenAlerts(long count, String severity, String message) {

        public static final OpenAlerts NONE = new OpenAlerts(0, null, null);
        private static final String CRITICAL = "critical";

        static OpenAlerts of(List<JsonObject> alerts) {
            List<JsonObject> open = alerts.stream().filter(a -> !a.getBoolean("resolved", false)).toList();
            if (open.isEmpty()) {
                return NONE;
            }
            String severity = open.stream().map(a -> a.getString("severity", "")).anyMatch(CRITICAL::equals)
                    ? CRITICAL : open.get(open.size() - 1).getString("severity", "");
            return new OpenAlerts(open.size(), severity, open.get(open.size() - 1).getString("message", ""));
        }
    }

    public static TraceRow of(TraceSummary s) {
        Usage total = s.usage().total();
        return new TraceRow(s.traceId(), s.status(), s.agents().stream().map(AgentSummary::agentId).toList(),
                s.startedAt(), s.endedAt(), s.durationMs(), total.costUsd(), total.knownCostUsd(), total.isEstimated(),
                s.lastEventAt(), s.eventCount(), errorText(s.failures()), OpenAlerts.of(s.alerts()));
    }

    private static String errorText(Failures f) {
        EventError error = f.firstFailure() != null ? f.firstFailure().step().error() : f.workflowError();
        if (error == null) {
            return f.failedSteps() > 0 ? "a step failed" : null;
        }
        return error.message() != null ? error.message() : error.type();
    }

    /** Running and stalled traces are the ones someone is watching: they sort first. */
    public boolean active() {
        return status == TraceStatus.RUNNING || status == TraceStatus.STALLED;
    }

    public String statusName() {
        return status.wireName();
    }

    /** The cost as shown: "~$0.01" when part of it is estimated from tokens, a floor ("≥ $0.01") when some model has no price. */
    public String costText() {
        if (cost != null) {
            return (costEstimated ? "~" : "") + UsdText.of(cost);
        }
        return knownCost == null || knownCost.signum() == 0 ? "unknown" : "≥ " + UsdText.of(knownCost);
    }

    public void writeJson(JsonGenerator g) {
        g.writeStartObject();
        g.write("trace_id", traceId);
        g.write("status", status.wireName());
        g.writeStartArray("agents");
        agents.forEach(g::write);
        g.writeEnd();
        instant(g, "started_at", startedAt);
        instant(g, "ended_at", endedAt);
        g.write("duration_ms", durationMs);
        g.write("cost_text", costText());
        instant(g, "last_event_at", lastEventAt);
        g.write("event_count", eventCount);
        if (error == null) {
            g.writeNull("error");
        } else {
            g.write("error", error);
        }
        g.write("open_alerts", alerts.count());
        if (alerts.count() > 0) {
            g.write("alert_severity", alerts.severity());
            g.write("alert_message", alerts.message());
        }
        g.writeEnd();
    }

    private static void instant(JsonGenerator g, String name, Instant at) {
        if (at == null) {
            g.writeNull(name);
        } else {
            g.write(name, at.toString());
        }
    }
}
