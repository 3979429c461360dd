package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.testing.ProducerEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One line of the trace list: which error it shows, how it writes the cost, whether it is active, its JSON. */
class TraceRowTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static TraceSummary summarize(ProducerEvent... events) {
        TraceSummarizer summarizer = new TraceSummarizer();
        int n = 0;
        for (ProducerEvent e : events) {
            summarizer.apply(e.at(T0.plusSeconds(n)).build().withId("1-" + n++));
        }
        return summarizer.snapshot(T0.plusSeconds(n));
    }

    private static TraceRow row(TraceStatus status, BigDecimal cost, BigDecimal knownCost, boolean estimated) {
        return new TraceRow("t", status, List.of("a"), T0, null, 0, cost, knownCost, estimated, T0, 1, null,
                TraceRow.OpenAlerts.NONE);
    }

    private static JsonObject alert(String key, String severity, String message, boolean resolved) {
        return Json.createObjectBuilder().add("id", "9-" + key.length()).add("kind", "loop").add("severity", severity)
                .add("message", message).add("key", key).add("resolved", resolved).build();
    }

    @Test
    void theBadgeCountsOpenFindingsOnlyShowingTheMostUrgentSeverityAndTheLatestMessage() {
        TraceSummarizer summarizer = new TraceSummarizer();
        summarizer.apply(ProducerEvent.of("t", "workflow_started", "planner").at(T0).build().withId("1-0"));
        summarizer.applyAlert("1-1", alert("loop:tool:a", "critical", "search called 4 times", false));
        summarizer.applyAlert("1-2", alert("silent:1-0", "warning", "no event for 60 s", false));
        summarizer.applyAlert("1-3", alert("budget:cost:warning", "warning", "80% of the budget", false));
        summarizer.applyAlert("1-4", alert("silent:1-0", "warning", "no event for 60 s", true));
        TraceRow row = TraceRow.of(summarizer.snapshot(T0.plusSeconds(5)));
        assertEquals(new TraceRow.OpenAlerts(2, "critical", "80% of the budget"), row.alerts());
        assertEquals(TraceRow.OpenAlerts.NONE, TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"))).alerts());
    }

    @Test
    void theErrorShownIsTheFirstFailedStepsMessage() {
        TraceRow row = TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"),
                ProducerEvent.of("t", "task_failed", "coder").task("t1").error("Timeout", "took too long"),
                ProducerEvent.of("t", "task_failed", "reviewer").task("t2").error("Crash", "later"),
                ProducerEvent.of("t", "workflow_failed", "planner").error("WorkflowError", "gave up")));
        assertEquals("took too long", row.error());
        assertEquals(TraceStatus.FAILED, row.status());
    }

    @Test
    void withoutAFailedStepTheErrorShownIsTheWorkflowsTypeWhenItHasNoMessage() {
        assertEquals("gave up", TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"),
                ProducerEvent.of("t", "workflow_failed", "planner").error("WorkflowError", "gave up"))).error());
        assertEquals("WorkflowError", TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"),
                ProducerEvent.of("t", "workflow_failed", "planner").error("WorkflowError", null))).error());
    }

    @Test
    void aStepThatFailedWithoutSayingWhyShowsThatAStepFailed() {
        TraceRow row = TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"),
                ProducerEvent.of("t", "tool_call", "coder").status("error")));
        assertEquals("a step failed", row.error());
    }

    @Test
    void aTraceWithoutFailuresShowsNoError() {
        TraceRow row = TraceRow.of(summarize(ProducerEvent.of("t", "workflow_started", "planner"),
                ProducerEvent.of("t", "workflow_completed", "planner")));
        assertNull(row.error());
        assertEquals(List.of("planner"), row.agents());
        assertEquals(2, row.eventCount());
    }

    @Test
    void runningAndStalledRowsAreActive() {
        assertTrue(row(TraceStatus.RUNNING, null, null, false).active());
        assertTrue(row(TraceStatus.STALLED, null, null, false).active());
        assertFalse(row(TraceStatus.COMPLETED, null, null, false).active());
        assertFalse(row(TraceStatus.FAILED, null, null, false).active());
        assertEquals("stalled", row(TraceStatus.STALLED, null, null, false).statusName());
    }

    @Test
    void theCostReadsAsReportedEstimatedAFloorOrUnknown() {
        assertEquals("$0.5000", row(TraceStatus.RUNNING, new BigDecimal("0.5"), new BigDecimal("0.5"), false).costText());
        assertEquals("~$0.0123", row(TraceStatus.RUNNING, new BigDecimal("0.0123"), new BigDecimal("0.0123"), true).costText(),
                "partly estimated from tokens");
        assertEquals("≥ $1.20", row(TraceStatus.RUNNING, null, new BigDecimal("1.2"), false).costText(),
                "some model has no price: what is known is a floor");
        assertEquals("unknown", row(TraceStatus.RUNNING, null, BigDecimal.ZERO, false).costText());
        assertEquals("unknown", row(TraceStatus.RUNNING, null, null, false).costText());
    }

    @Test
    void theJsonWritesMissingTimesAndErrorAsNull() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(out)) {
            new TraceRow("t", TraceStatus.RUNNING, List.of("a", "b"), null, null, 0, BigDecimal.ZERO, BigDecimal.ZERO,
                    false, null, 0, null, TraceRow.OpenAlerts.NONE).writeJson(g);
        }
        JsonObject json = Json.createReader(new StringReader(out.toString())).readObject();
        assertEquals(Set.of("trace_id", "status", "agents", "started_at", "ended_at", "duration_ms", "cost_text",
                "last_event_at", "event_count", "error", "open_alerts"), json.keySet());
        for (String name : List.of("started_at", "ended_at", "last_event_at", "error")) {
            assertEquals(JsonValue.NULL, json.get(name), name);
        }
        assertEquals("$0", json.getString("cost_text"));
    }
}
