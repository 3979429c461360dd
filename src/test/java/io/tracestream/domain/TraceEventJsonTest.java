package io.tracestream.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceEventJsonTest {

    private static JsonValue parse(String json) {
        return Json.createReader(new StringReader(json)).readValue();
    }

    private static List<FieldError> errorsOf(String json) {
        List<FieldError> errors = new ArrayList<>();
        TraceEventJson.read(parse(json), "", errors);
        return errors;
    }

    @Test
    void aProducerMayNotSendAnAlertTheRunGuardsWriteThem() {
        List<FieldError> errors = errorsOf("{\"event_type\":\"alert\",\"agent_id\":\"mallory\"}");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("event_type", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("run guards"), errors.get(0).message());
        assertEquals(List.of(), errorsOf("{\"event_type\":\"alerting\",\"agent_id\":\"a\"}"), "another type is any producer's");
    }

    @Test
    void quoteEscapesQuotesControlsAndHtmlSensitiveCharactersAndKeepsEverythingElse() {
        StringBuilder out = new StringBuilder();
        TraceEventJson.quote(out, "a\"b\\c\nd\re\tf\u0001g<h>i&j\u2028k\u2029l é 😀");
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u003ch\\u003ei\\u0026j\\u2028k\\u2029l é 😀\"", out.toString());
        StringBuilder plain = new StringBuilder();
        TraceEventJson.quote(plain, "");
        assertEquals("\"\"", plain.toString());
    }

    @Test
    void readsEveryFieldAndWritesItBackUnchanged() {
        String json = "{\"trace_id\":\"abc123def456\",\"event_type\":\"llm_call\",\"agent_id\":\"planner\","
                + "\"timestamp\":\"2025-01-20T10:30:45Z\",\"span_id\":\"s2\",\"parent_span_id\":\"s1\",\"task_id\":\"t1\","
                + "\"status\":\"ok\",\"duration_ms\":1250,\"error\":{\"type\":\"Timeout\",\"message\":\"slow\"},"
                + "\"model\":\"gpt-4o\",\"input_tokens\":1200,\"output_tokens\":340,\"cost_usd\":0.0064,"
                + "\"event_id\":\"e-1\",\"attributes\":{\"retry\":2,\"cached\":false,\"note\":\"hi\"}}";
        List<FieldError> errors = new ArrayList<>();
        TraceEvent e = TraceEventJson.read(parse(json), "", errors);
        assertEquals(List.of(), errors);
        assertEquals(Instant.parse("2025-01-20T10:30:45Z"), e.timestamp());
        assertEquals(1250L, e.durationMs());
        assertEquals(new BigDecimal("0.0064"), e.costUsd());
        assertEquals(new TraceEvent.EventError("Timeout", "slow"), e.error());
        assertEquals(Map.of("retry", new BigDecimal(2), "cached", false, "note", "hi"), e.attributes());
        assertEquals(json, TraceEventJson.write(e));
    }

    @Test
    void writesTheIdFirstWhenTheEventHasOne() {
        String withoutId = "{\"trace_id\":\"t\",\"event_type\":\"message\",\"agent_id\":\"a\"}";
        assertEquals("{\"id\":\"17-0\",\"trace_id\":\"t\",\"event_type\":\"message\",\"agent_id\":\"a\"}",
                TraceEventJson.withId("17-0", withoutId));
    }

    @Test
    void timestampsWithAnOffsetAreStoredInUtc() {
        List<FieldError> errors = new ArrayList<>();
        TraceEvent e = TraceEventJson.read(parse("{\"event_type\":\"x\",\"agent_id\":\"a\",\"timestamp\":\"2025-01-20T12:30:45+02:00\"}"), "", errors);
        assertEquals("2025-01-20T10:30:45Z", e.timestamp().toString());
    }

    @Test
    void escapesTextSoItIsSafeInJsonHtmlAndScript() {
        TraceEvent e = new TraceEvent(null, "t", "message", "<img src=x onerror=alert(1)>", null, null, null, null, null,
                null, new TraceEvent.EventError("E", "line1\nline2 \"quoted\" \\ \u2028"), null, null, null, null, null, null);
        String json = TraceEventJson.write(e);
        assertTrue(json.contains("\\u003cimg src=x onerror=alert(1)\\u003e"), json);
        assertTrue(json.contains("line1\\nline2 \\\"quoted\\\" \\\\ \\u2028"), json);
        List<FieldError> errors = new ArrayList<>();
        TraceEvent back = TraceEventJson.read(parse(json), "", errors);
        assertEquals(e.agentId(), back.agentId());
        assertEquals(e.error(), back.error());
    }

    @Test
    void namesEveryWrongFieldWithItsPath() {
        List<FieldError> errors = new ArrayList<>();
        TraceEventJson.read(parse("{\"event_type\":3,\"input_tokens\":1.5,\"error\":{\"kind\":\"x\"},"
                + "\"attributes\":{\"list\":[1]},\"bogus\":true}"), "[4]", errors);
        List<String> fields = errors.stream().map(FieldError::field).toList();
        assertEquals(List.of("[4].bogus", "[4].event_type", "[4].agent_id", "[4].error.kind", "[4].input_tokens",
                "[4].attributes.list"), fields);
    }

    @Test
    void requiresEventTypeAndAgentButNotTraceId() {
        assertEquals(List.of("event_type", "agent_id"), errorsOf("{}").stream().map(FieldError::field).toList());
        assertTrue(errorsOf("{\"event_type\":\"x\",\"agent_id\":\"a\"}").isEmpty());
    }

    @Test
    void rejectsNegativeNumbersEmptyStringsAndBadTraceIds() {
        assertEquals("duration_ms", errorsOf("{\"event_type\":\"x\",\"agent_id\":\"a\",\"duration_ms\":-5}").get(0).field());
        assertEquals("cost_usd", errorsOf("{\"event_type\":\"x\",\"agent_id\":\"a\",\"cost_usd\":-0.1}").get(0).field());
        assertEquals("agent_id", errorsOf("{\"event_type\":\"x\",\"agent_id\":\"\"}").get(0).field());
        assertEquals("trace_id", errorsOf("{\"event_type\":\"x\",\"agent_id\":\"a\",\"trace_id\":\"a b\"}").get(0).field());
    }

    @Test
    void aNonObjectIsNamedByItsPosition() {
        List<FieldError> errors = new ArrayList<>();
        assertNull(TraceEventJson.read(parse("42"), "[0]", errors));
        assertEquals(List.of(new FieldError("[0]", "must be a JSON object")), errors);
    }

    @Test
    void aProducersInputAndOutputAreTakenAsSentForItsAdapterToMap() {
        List<FieldError> errors = new java.util.ArrayList<>();
        TraceEvent e = TraceEventJson.read(parse("{\"event_type\":\"llm_call\",\"agent_id\":\"a\",\"input\":\"Hi\",\"output\":[1]}"), "", errors);
        assertEquals(List.of(), errors);
        assertEquals("{\"input\":\"Hi\",\"output\":[1]}", e.content().body().toString());
    }

    @Test
    void aProducerMayNotWriteTheServersContentMember() {
        assertEquals(List.of("content"), errorsOf("{\"event_type\":\"llm_call\",\"agent_id\":\"a\",\"content\":{}}")
                .stream().map(FieldError::field).toList());
    }

    @Test
    void theContentSummaryIsWrittenLastAndReadBackFromTheStore() {
        TraceEvent e = new TraceEvent("1-0", "t", "llm_call", "a", null, null, null, null, null, null, null, null, null, null,
                null, null, Map.of("k", "v"), new CallContent(null, "Q <b>?", "A", 42, true, 1, true));
        String json = TraceEventJson.write(e);
        assertTrue(json.endsWith(",\"content\":{\"input_preview\":\"Q \\u003cb\\u003e?\",\"output_preview\":\"A\",\"bytes\":42,"
                + "\"truncated\":true,\"redacted\":1,\"kept\":true}}"), json);
        assertEquals(e.content(), TraceEventJson.readStored(json).content());
    }

    @Test
    void fullContentIsSplicedIntoAnEventWhoseContentIsKeptAndOnlyThen() {
        TraceEvent kept = new TraceEvent("1-0", "t", "llm_call", "a", null, null, null, null, null, null, null, null, null, null,
                null, null, Map.of(), new CallContent(null, "Q", null, 2, false, 0, true));
        String spliced = TraceEventJson.withFullContent(TraceEventJson.write(kept), () -> "{\"input\":[]}");
        assertEquals("{\"input\":[]}", Json.createReader(new java.io.StringReader(spliced)).readObject()
                .getJsonObject("content").getJsonObject("full").toString());
        TraceEvent previewsOnly = kept.withContent(new CallContent(null, "Q", null, 0, false, 0, false));
        assertEquals(null, TraceEventJson.withFullContent(TraceEventJson.write(previewsOnly), () -> {
            throw new AssertionError("not read for an event whose content is not kept");
        }));
    }
}
