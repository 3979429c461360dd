package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.ProducerEvent;
import io.tracestream.testing.UnitConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's rows: the running and stalled traces first, then the newest; filters as a
 * person types them; each row's JSON, as the list streams send it.
 */
class TraceRowsTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC());
    private final TraceRows rows = new TraceRows();

    TraceRowsTest() {
        TraceSummaries summaries = TraceSummaries.of(store, UnitConfig.SUMMARIES);
        TraceList list = new TraceList();
        list.store = store;
        list.summaries = summaries;
        list.work = new InFlightWork();
        rows.list = list;
        rows.summaries = summaries;
    }

    private void write(String trace, ProducerEvent... events) {
        store.append(trace, ProducerEvent.batch(events));
    }

    private static Instant minutesAgo(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    /** One trace of each status; the stall-after is five minutes. */
    private void writeOneOfEach() {
        write("completed", ProducerEvent.of("completed", "workflow_started", "planner").at(minutesAgo(3)),
                ProducerEvent.of("completed", "workflow_completed", "planner").at(minutesAgo(1)));
        write("running", ProducerEvent.of("running", "workflow_started", "coder").at(minutesAgo(2)));
        write("stalled", ProducerEvent.of("stalled", "workflow_started", "coder").at(minutesAgo(10)));
        write("failed", ProducerEvent.of("failed", "workflow_started", "planner").at(minutesAgo(4)),
                ProducerEvent.of("failed", "task_failed", "coder").at(NOW).task("t1").error("Timeout", "took too long"),
                ProducerEvent.of("failed", "workflow_failed", "planner").at(NOW));
    }

    private static List<String> ids(List<TraceRow> found) {
        return found.stream().map(TraceRow::traceId).toList();
    }

    @Test
    void runningAndStalledTracesComeFirstThenTheNewestLastEvent() {
        writeOneOfEach();
        assertEquals(List.of("running", "stalled", "failed", "completed"), ids(rows.find(null, null)));
    }

    @Test
    void aStatusIsReadWithoutCaseOrSurroundingSpacesAndAnUnknownOneMatchesNothing() {
        writeOneOfEach();
        assertEquals(List.of("completed"), ids(rows.find(" Completed ", null)));
        assertEquals(List.of("stalled"), ids(rows.find("STALLED", "")));
        assertEquals(List.of(), rows.find("finished", null));
        assertEquals(4, rows.find("", " ").size(), "blank: every status, every agent");
    }

    @Test
    void anAgentFilterMatchesTheExactAgent() {
        writeOneOfEach();
        assertEquals(List.of("running", "stalled", "failed"), ids(rows.find(null, " coder ")));
        assertEquals(List.of(), rows.find(null, "code"));
    }

    @Test
    void onlyTracesUnderTheKeysPrefixesAreRows() {
        writeOneOfEach();
        assertEquals(List.of("running", "failed"), ids(rows.find(null, null, List.of("run", "fail"))));
    }

    @Test
    void aPageShowsAtMostAHundredRows() {
        for (int i = 0; i < TraceRows.MAX_ROWS + 5; i++) {
            write("t" + i, ProducerEvent.of("t" + i, "workflow_started", "planner"));
        }
        assertEquals(TraceRows.MAX_ROWS, rows.find(null, null).size());
    }

    @Test
    void theStatusesAreOfferedActiveOnesFirst() {
        assertEquals(List.of("running", "stalled", "failed", "completed"), TraceRows.statuses());
    }

    @Test
    void aTraceWithoutEventsHasNoRow() {
        assertTrue(rows.rowJson("nothing-here").isEmpty());
    }

    @Test
    void aRowsJsonCarriesWhatTheListShowsAndItsFieldsForTheStreamsFilters() {
        writeOneOfEach();
        TraceRows.RowJson row = rows.rowJson("failed").orElseThrow();
        assertEquals("failed", row.traceId());
        assertEquals(TraceStatus.FAILED, row.status());
        assertEquals(List.of("planner", "coder"), row.agents());

        JsonObject json = Json.createReader(new StringReader(row.json())).readObject();
        assertEquals("failed", json.getString("trace_id"));
        assertEquals("failed", json.getString("status"));
        assertEquals(List.of("planner", "coder"), json.getJsonArray("agents").getValuesAs(jakarta.json.JsonString::getString));
        assertEquals(minutesAgo(4).toString(), json.getString("started_at"));
        assertEquals(NOW.toString(), json.getString("ended_at"));
        assertEquals(Duration.ofMinutes(4).toMillis(), json.getJsonNumber("duration_ms").longValue());
        assertEquals("$0", json.getString("cost_text"));
        assertEquals(NOW.toString(), json.getString("last_event_at"));
        assertEquals(3, json.getJsonNumber("event_count").longValue());
        assertEquals("took too long", json.getString("error"));
    }

    @Test
    void aRunningRowHasNoEndAndNoError() {
        writeOneOfEach();
        JsonObject json = Json.createReader(new StringReader(rows.rowJson("running").orElseThrow().json())).readObject();
        assertEquals("running", json.getString("status"));
        assertEquals(JsonValue.NULL, json.get("ended_at"));
        assertEquals(JsonValue.NULL, json.get("error"));
    }
}
