package io.tracestream.web;

import static io.tracestream.web.StoredTrace.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

    /** As an SDK exports them: the model call first, then its agent's span (which began earlier), the root last. */
    static StoredTrace spansExportedAsTheyEnded() {
        return new StoredTrace()
                .add("llm_call", "svc", 2000, span("m", "w", "service", "") + ",\"model\":\"gpt-y\",\"duration_ms\":500")
                .add("task_started", "researcher", 900, span("w", "r", "span", "") + ",\"task_id\":\"research\"")
                .add("task_completed", "researcher", 2500, span("w", "r", "span", "") + ",\"task_id\":\"research\"")
                .add("task_started", "supervisor", 0, span("r", null, "span", "") + ",\"task_id\":\"supervise\"");
    }

    static List<String> order(EventLog log) {
        return log.rows().stream().map(r -> r.type() + ":" + r.agentId()).toList();
    }

    @Test
    void aTraceOfSpansIsListedInTheOrderThingsHappened() {
        StoredTrace trace = spansExportedAsTheyEnded();

        EventLog log = EventLog.of(trace.events(), trace.summary(3000));

        assertTrue(log.inTimeOrder());
        assertEquals(List.of("task_started:supervisor", "task_started:researcher", "llm_call:researcher",
                "task_completed:researcher"), order(log));
    }

    @Test
    void eventsOfTheSameTimeKeepTheStoresOrder() {
        StoredTrace trace = new StoredTrace()
                .add("task_started", "b", 100, span("b", null, "span", "") + ",\"task_id\":\"second\"")
                .add("task_started", "a", 100, span("a", null, "span", "") + ",\"task_id\":\"first\"")
                .add("task_started", "c", 50, span("c", null, "span", "") + ",\"task_id\":\"zeroth\"");

        EventLog log = EventLog.of(trace.events(), trace.summary(200));

        assertEquals(List.of("1002-0", "1000-0", "1001-0"), log.rows().stream().map(EventRow::id).toList());
    }

    @Test
    void ourProducersEventsKeepTheStoredOrderWhateverTheirTimes() {
        StoredTrace trace = new StoredTrace()
                .add("task_started", "a", 500, "\"task_id\":\"t\"")
                .add("message", "b", 100, "\"attributes\":{\"to_agent\":\"a\",\"content\":\"hi\"}");

        EventLog log = EventLog.of(trace.events(), trace.summary(600));

        assertFalse(log.inTimeOrder());
        assertEquals(List.of("task_started:a", "message:b"), order(log));
    }

    @Test
    void aStandInEventShowsTheAgentTheSummaryFoundAndItsJsonStaysAsStored() {
        StoredTrace trace = spansExportedAsTheyEnded();

        EventRow call = EventLog.of(trace.events(), trace.summary(3000)).rows().stream()
                .filter(r -> r.type().equals("llm_call")).findFirst().orElseThrow();

        assertEquals("researcher", call.agentId(), "the agent the timeline shows, and the filter matches");
        assertEquals("svc", call.standIn());
        assertEquals("m", call.spanId());
        assertEquals("reported as svc (the service, standing in until its agent was known)", call.agentTitle());
        assertTrue(call.json().contains("\"agent_id\": \"svc\""), call.json());
        assertFalse(call.json().contains("researcher"), call.json());
    }

    @Test
    void aStandInWhoseAgentIsNotKnownYetShowsTheStandIn() {
        StoredTrace trace = new StoredTrace()
                .add("llm_call", "svc", 2000, span("m", "w", "service", "") + ",\"model\":\"gpt-y\",\"duration_ms\":500");

        EventRow call = EventLog.of(trace.events(), trace.summary(3000)).rows().get(0);

        assertEquals("svc", call.agentId());
        assertEquals("svc", call.standIn(), "still a stand-in: the page relabels it when a later summary knows better");
        assertNull(call.agentTitle());
    }

    @Test
    void anEventThatNamedItsOwnAgentIsShownAsItSaid() {
        StoredTrace trace = spansExportedAsTheyEnded();

        EventRow start = EventLog.of(trace.events(), trace.summary(3000)).rows().get(1);

        assertEquals("researcher", start.agentId());
        assertNull(start.standIn());
        assertNull(start.agentTitle());
    }

    static JsonObject content(String json) {
        try (var reader = JsonFactories.reader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    @Test
    void aCallsLineSaysWhatWasAskedAndAnsweredOnOneLine() {
        JsonObject both = content("{\"input_preview\":\"What is the weather\\n  in Paris?\",\"output_preview\":\"It is sunny.\","
                + "\"bytes\":1234,\"truncated\":false,\"redacted\":0,\"kept\":true}");

        assertEquals("“What is the weather in Paris?” → “It is sunny.”", EventRow.said(both));
        assertEquals("Input: What is the weather\n  in Paris?\nOutput: It is sunny.", EventRow.saidTitle(both),
                "the tooltip has the previews as they are");
        assertEquals("“only asked”", EventRow.said(content("{\"input_preview\":\"only asked\"}")));
        assertEquals("→ “only answered”", EventRow.said(content("{\"output_preview\":\"only answered\",\"input_preview\":\" \"}")));
    }

    @Test
    void aCallWithoutPreviewsHasNoLineAndALongPreviewIsCut() {
        assertNull(EventRow.said(null), "content not captured");
        assertNull(EventRow.said(content("{\"bytes\":0,\"kept\":false}")));
        assertNull(EventRow.saidTitle(content("{\"kept\":false}")));

        String said = EventRow.said(content("{\"input_preview\":\"" + "x".repeat(500) + "\"}"));

        assertEquals("“" + "x".repeat(EventRow.MAX_PREVIEW - 1) + "…”", said);
    }

    @Test
    void aStoredCallsRowCarriesItsPreviewsAndOpensItsConversation() {
        StoredTrace trace = new StoredTrace()
                .add("llm_call", "planner", 100, "\"model\":\"gpt-4o\",\"content\":{\"input_preview\":\"<b>hi</b>\","
                        + "\"output_preview\":\"hello\",\"bytes\":120,\"kept\":true}")
                .add("tool_call", "planner", 200, "\"attributes\":{\"tool\":\"search\"}")
                .add("task_started", "planner", 300, "\"task_id\":\"t\"");

        List<EventRow> rows = EventLog.of(trace.events(), trace.summary(400)).rows();

        assertEquals("“<b>hi</b>” → “hello”", rows.get(0).said(), "as text: the template escapes it");
        assertEquals("Input: <b>hi</b>\nOutput: hello", rows.get(0).saidTitle());
        assertTrue(rows.get(0).call());
        assertNull(rows.get(1).said(), "a call whose content was not captured");
        assertTrue(rows.get(1).call());
        assertFalse(rows.get(2).call());
        assertTrue(rows.get(0).json().contains("\"input_preview\": \"<b>hi</b>\""), rows.get(0).json());
    }
}
