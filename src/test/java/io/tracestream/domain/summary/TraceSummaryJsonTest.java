package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceSummaryJsonTest {

    @Test
    void listItemOfTheFixtureHasItsTotals() {
        assertEquals("{\"trace_id\":\"code-analysis-demo\",\"status\":\"completed\",\"started_at\":\"2025-01-20T10:30:45Z\","
                + "\"ended_at\":\"2025-01-20T10:32:15Z\",\"duration_ms\":90000,\"agent_count\":6,\"cost_usd\":0.184945,"
                + "\"last_event_at\":\"2025-01-20T10:32:15Z\",\"event_count\":35,\"open_alerts\":0}",
                TraceSummaryJson.writeListItem(TraceListItem.of(CodeAnalysisFixture.summary())));
    }

    @Test
    void unknownCostIsNullInTheListItem() {
        TraceSummary running = TestEvent.summarize(second(1),
                at(0, "llm_call", "a").model("unpriced-model").tokens(5, 5).build());

        assertEquals("[{\"trace_id\":\"test-trace\",\"status\":\"running\",\"started_at\":\"2025-01-20T09:00:00Z\","
                + "\"ended_at\":null,\"duration_ms\":1000,\"agent_count\":1,\"cost_usd\":null,"
                + "\"last_event_at\":\"2025-01-20T09:00:00Z\",\"event_count\":1,\"open_alerts\":0}]",
                TraceSummaryJson.writeList(List.of(TraceListItem.of(running))));
    }

    @Test
    void summaryJsonHasTheDocumentedSnakeCaseShape() {
        JsonObject json = parse(TraceSummaryJson.write(CodeAnalysisFixture.summary()));

        assertEquals(Set.of("trace_id", "status", "started_at", "ended_at", "last_event_at", "duration_ms",
                "event_count", "last_event_id", "agents", "steps", "graph", "critical_path", "failures", "usage",
                "event_counts", "warnings", "alerts", "open_alerts"), json.keySet());
        JsonObject firstFailure = json.getJsonObject("failures").getJsonObject("first_failure");
        assertEquals(8, firstFailure.getInt("step_index"));
        assertEquals("DataUnavailableError", firstFailure.getJsonObject("error").getString("type"));
        assertEquals(List.of("code_analyzer", "planner", "backtester"), firstFailure.getJsonArray("caller_chain")
                .stream().map(c -> c.asJsonObject().getString("agent_id")).toList());
        assertEquals("0.1236", json.getJsonObject("usage").getJsonObject("by_model")
                .getJsonObject("claude-3-5-sonnet").getJsonNumber("cost_usd").toString());
        assertEquals(3, json.getJsonObject("graph").getInt("depth"));
        assertEquals(13, json.getJsonObject("critical_path").getJsonArray("steps").size());
        assertEquals(JsonValue.NULL, json.getJsonArray("steps").getJsonObject(0).get("parent_index"));
    }

    @Test
    void emptySummaryIsStillValidJson() {
        JsonObject json = parse(TraceSummaryJson.write(new TraceSummarizer().snapshot(second(0))));

        assertEquals(JsonValue.NULL, json.get("trace_id"));
        assertEquals("running", json.getString("status"));
        assertTrue(json.getJsonArray("agents").isEmpty());
    }

    private static JsonObject parse(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
