package io.tracestream.ingest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.ingest.EventIngest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON API's body reader on hostile bodies: every one is an {@link InvalidEventsException}
 * (400) or read as the producer meant, never another exception (which would answer 500).
 */
class EventBodyReaderTest {

    private static final int MAX_DEPTH = 64;
    private static final EventBodyReader READER = new EventBodyReader(16 * 1024 * 1024, 1000, MAX_DEPTH);
    private static final String EVENT = "{\"event_type\":\"message\",\"agent_id\":\"a\"}";

    private static EventIngest.Submission read(byte[] body) {
        return READER.read(new ByteArrayInputStream(body));
    }

    private static EventIngest.Submission read(String body) {
        return read(body.getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidEventsException refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidEventsException refused(byte[] body) {
        return assertThrows(InvalidEventsException.class, () -> read(body));
    }

    private static String nested(int depth, String open, String inside, String close) {
        return open.repeat(depth) + inside + close.repeat(depth);
    }

    @Test
    void aBodyOfAHundredThousandNestedArraysIsRefusedNamingTheLimitNotAServerError() {
        InvalidEventsException e = refused(nested(100_000, "[", "", "]"));
        assertTrue(e instanceof EventsTooLargeException, "counted as a limit: " + e);
        assertTrue(e.getMessage().contains("nested deeper than 64 levels (tracestream.ingest.max-json-depth)"), e.getMessage());
    }

    @Test
    void aHundredThousandNestedObjectsAreRefusedToo() {
        InvalidEventsException e = refused(nested(100_000, "{\"a\":", "1", "}"));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    }

    @Test
    void deepNestingInsideAnEventsAttributesIsRefusedBeforeTheParserRecurses() {
        String deep = "{\"event_type\":\"message\",\"agent_id\":\"a\",\"attributes\":{\"x\":" + nested(5_000, "[", "1", "]") + "}}";
        assertTrue(refused(deep).getMessage().contains("nested deeper than 64"));
        String deepInput = "[{\"event_type\":\"message\",\"agent_id\":\"a\",\"input\":" + nested(70, "{\"b\":", "1", "}") + "}]";
        assertTrue(refused(deepInput).getMessage().contains("nested deeper than 64"));
    }

    @Test
    void nestingUpToTheLimitIsReadAndJudgedByTheEventRules() {
        // batch (1) > event (2) > attributes (3) > 61 arrays: 64 levels exactly.
        String body = "[{\"event_type\":\"message\",\"agent_id\":\"a\",\"attributes\":{\"x\":" + nested(61, "[", "", "]") + "}}]";
        InvalidEventsException e = refused(body);
        assertEquals("[0].attributes.x", e.errors().get(0).field(), "a rule of the event, not the nesting: " + e);
    }

    @Test
    void bracketsInsideStringsAreNotNesting() {
        EventBodyReader shallow = new EventBodyReader(1 << 20, 10, 3);
        String agent = "[[[[{{{{ \\\" [[[[ \\\\";
        String body = "[{\"event_type\":\"message\",\"agent_id\":\"" + agent + "\",\"attributes\":{\"k[{\":\"]]]{{{\"}}]";
        EventIngest.Submission s = shallow.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals("[[[[{{{{ \" [[[[ \\", s.events().get(0).agentId());
        assertThrows(EventsTooLargeException.class, () -> shallow.read(new ByteArrayInputStream(
                "[{\"event_type\":\"m\",\"agent_id\":\"a\",\"attributes\":{\"x\":[1]}}]".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aNumberTooLongForTheParserIsABadRequest() {
        InvalidEventsException e = refused("{\"event_type\":\"m\",\"agent_id\":\"a\",\"attributes\":{\"n\":" + "9".repeat(5000) + "}}");
        assertTrue(e.getMessage().contains("unreadable JSON"), e.getMessage());
    }

    @Test
    void hugeAndOddNumbersAreJudgedByTheRules() {
        for (String n : List.of("1e999", "1e999999999", "18446744073709551616", "1e-999999999")) {
            InvalidEventsException e = refused("{\"event_type\":\"m\",\"agent_id\":\"a\",\"cost_usd\":" + n + ",\"input_tokens\":" + n + "}");
            assertEquals(java.util.Set.of("cost_usd", "input_tokens"), e.errors().stream().map(f -> f.field()).collect(java.util.stream.Collectors.toSet()), n);
        }
        TraceEvent zero = read("{\"event_type\":\"m\",\"agent_id\":\"a\",\"cost_usd\":-0,\"input_tokens\":-0,\"attributes\":{\"big\":1e999999999}}")
                .events().get(0);
        assertEquals(0, zero.costUsd().signum());
        assertEquals(0L, zero.inputTokens());
        assertEquals(new BigDecimal("1e999999999"), zero.attributes().get("big"));
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotReplaced() {
        byte[] body = "{\"event_type\":\"m\",\"agent_id\":\"a\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(refused(body).getMessage().contains("not UTF-8"));
        byte[] utf16 = EVENT.getBytes(StandardCharsets.UTF_16);
        refused(utf16);
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        body.writeBytes(EVENT.getBytes(StandardCharsets.UTF_8));
        assertEquals("a", read(body.toByteArray()).events().get(0).agentId());
    }

    @Test
    void emptyWhitespaceAndTruncatedBodiesAreMalformed() {
        for (String body : List.of("", " \n\t ", "\uFEFF", "{", "[", "[{\"event_type\":", "{\"a\":1}}", "nul", "\"x\"", "1")) {
            InvalidEventsException e = refused(body);
            assertTrue(!e.errors().isEmpty(), body);
        }
        refused(new byte[] {(byte) 0xEF, (byte) 0xBB});
    }

    @Test
    void nulInAStringIsStoredEscapedAndARawControlCharacterIsMalformed() {
        TraceEvent e = read("{\"event_type\":\"m\",\"agent_id\":\"a\\u0000b\\r\\n\u2028<script>\"}").events().get(0);
        assertEquals("a\u0000b\r\n\u2028<script>", e.agentId());
        assertTrue(TraceEventJson.write(e).contains("a\\u0000b\\r\\n\\u2028\\u003cscript\\u003e"));
        refused("{\"event_type\":\"m\",\"agent_id\":\"a\u0000b\"}");
    }

    @Test
    void aLoneSurrogateSurvivesTheWayToTheStoreAndBack() {
        TraceEvent e = read("{\"event_type\":\"m\",\"agent_id\":\"x\\ud800y\\udc00z\\ud83d\\ude00\"}").events().get(0);
        assertEquals("x\ud800y\udc00z\ud83d\ude00", e.agentId());
        String stored = new String(TraceEventJson.write(e.withId("1-0")).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(e.agentId(), TraceEventJson.readStored(stored).agentId());
    }

    @Test
    void contentAfterTheDocumentIsRefusedSayingWhereTheDocumentEnded() {
        // Issue 24: both were stored, the trailing part dropped unread.
        for (String trailing : List.of(" trailing", "x", " 1", " null", "]", "}", ",{}", " // comment")) {
            InvalidEventsException e = refused(EVENT + trailing);
            assertEquals(List.of(new FieldError("$", "unexpected content after the JSON document, which ends at line 1, column "
                    + EVENT.length() + ": send one event or one array of events")), e.errors(), trailing);
        }
        InvalidEventsException batch = refused("[" + EVENT + "]\n\n  x");
        assertEquals("$", batch.errors().get(0).field());
        assertTrue(batch.getMessage().contains("ends at line 1, column " + (EVENT.length() + 2)), batch.getMessage());
    }

    @Test
    void aSecondDocumentIsRefusedNotStoredOrDropped() {
        // Issue 24: the first was stored and the second silently dropped.
        for (String body : List.of(EVENT + EVENT, EVENT + "\n" + EVENT + "\n", "[" + EVENT + "][" + EVENT + "]", "[" + EVENT + "]" + EVENT,
                EVENT + " []")) {
            InvalidEventsException e = refused(body);
            assertEquals("$", e.errors().get(0).field(), body);
            assertTrue(e.getMessage().contains("unexpected content after the JSON document"), e.getMessage());
        }
    }

    @Test
    void whitespaceAfterTheDocumentIsNotContent() {
        assertEquals("a", read(EVENT + " \r\n\t\n").events().get(0).agentId());
        assertEquals(1, read("[" + EVENT + "]\n").events().size());
    }

    @Test
    void aMemberNamedTwiceIsRefusedNamingWhereWhateverTheObject() {
        // Issue 24: the last one was stored, the first dropped without a word.
        assertEquals(List.of(new FieldError("agent_id", "appears twice in the same object")),
                refused("{\"event_type\":\"m\",\"agent_id\":\"a\",\"agent_id\":\"b\"}").errors());
        assertDuplicate("[" + EVENT + ",{\"agent_id\":\"a\",\"event_type\":\"m\",\"agent_id\":\"a\"}]", "[1].agent_id");
        assertDuplicate("{\"event_type\":\"m\",\"agent_id\":\"a\",\"error\":{\"type\":\"T\",\"message\":\"x\",\"type\":\"U\"}}",
                "error.type");
        assertDuplicate("[{\"event_type\":\"m\",\"agent_id\":\"a\",\"attributes\":{\"k\":1,\"j\":2,\"k\":true}}]",
                "[0].attributes.k");
        // Also where the event rules would refuse the value anyway: the body is ambiguous whatever it holds.
        assertDuplicate("{\"event_type\":\"m\",\"agent_id\":\"a\",\"attributes\":{\"x\":[1,{\"y\":1,\"y\":1}]}}",
                "attributes.x[1].y");
        assertDuplicate("{\"event_type\":\"m\",\"agent_id\":\"a\",\"input\":1,\"input\":2}", "input");
        // The same name spelled with an escape is the same name.
        assertDuplicate("{\"event_type\":\"m\",\"agent_id\":\"a\",\"agent\\u005fid\":\"b\"}", "agent_id");
    }

    @Test
    void theSameNameInDifferentObjectsIsNotADuplicate() {
        TraceEvent e = read("{\"event_type\":\"m\",\"agent_id\":\"a\",\"error\":{\"type\":\"T\"},"
                + "\"attributes\":{\"type\":\"attr\",\"agent_id\":\"b\",\"Agent_Id\":\"c\"}}").events().get(0);
        assertEquals("a", e.agentId());
        assertEquals("T", e.error().type());
        assertEquals(java.util.Map.of("type", "attr", "agent_id", "b", "Agent_Id", "c"), e.attributes());
    }

    private static void assertDuplicate(String body, String field) {
        assertEquals(List.of(new FieldError(field, "appears twice in the same object")), refused(body).errors(), body);
    }

    @Test
    void aTenMegabyteStringIsOverTheBodyLimitOrTheFieldLimitNeverAnError() {
        String big = "x".repeat(10 * 1024 * 1024);
        InvalidEventsException e = refused("{\"event_type\":\"m\",\"agent_id\":\"" + big + "\"}");
        assertTrue(e.getMessage().contains("at most 256 characters"), e.getMessage());
        EventBodyReader small = new EventBodyReader(4 * 1024 * 1024, 1000, MAX_DEPTH);
        assertThrows(EventsTooLargeException.class, () -> small.read(new ByteArrayInputStream(
                ("{\"event_type\":\"m\",\"agent_id\":\"" + big + "\"}").getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void countsTooLargeToAddOrTurnIntoNanosecondsAreRefused() {
        // Long.MAX_VALUE milliseconds overflowed Duration.toNanos in the metrics and the trace page answered 500.
        InvalidEventsException e = refused("{\"event_type\":\"tool_call\",\"agent_id\":\"a\",\"duration_ms\":9223372036854775807,"
                + "\"input_tokens\":1000000000001}");
        assertEquals(java.util.Set.of("duration_ms", "input_tokens"), e.errors().stream().map(f -> f.field())
                .collect(java.util.stream.Collectors.toSet()));
        assertEquals(1_000_000_000_000L, read("{\"event_type\":\"m\",\"agent_id\":\"a\",\"duration_ms\":1000000000000}")
                .events().get(0).durationMs());
    }

    @Test
    void timestampsOutsideTheEpochTo2200AreRefused() {
        // Year -999999999 overflowed Duration.toMillis in the summary: the trace's page, its summary and
        // the list of every trace answered 500 from then on.
        for (String t : List.of("-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00", "1969-12-31T23:59:59Z",
                "2200-01-01T00:00:00Z")) {
            InvalidEventsException e = refused("{\"event_type\":\"m\",\"agent_id\":\"a\",\"timestamp\":\"" + t + "\"}");
            assertEquals("timestamp", e.errors().get(0).field(), t);
        }
        for (String t : List.of("1970-01-01T00:00:00Z", "2199-12-31T23:59:59.999Z", "2025-01-20T10:30:45+02:00")) {
            read("{\"event_type\":\"m\",\"agent_id\":\"a\",\"timestamp\":\"" + t + "\"}");
        }
    }

    @Test
    void anLlmCallsInputAndOutputBecomeGenAiMessages() {
        var doc = read("{\"event_type\":\"llm_call\",\"agent_id\":\"a\",\"input\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "\"Plan a trip\"],\"output\":\"Go to Lyon.\"}").events().get(0).content().body();
        assertEquals("{\"input\":[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Plan a trip\"}]}],"
                + "\"output\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Go to Lyon.\"}]}]}", doc.toString());
    }

    @Test
    void aToolCallsInputAndOutputAreItsArgumentsAndResultNamedAfterItsTool() {
        var doc = read("{\"event_type\":\"tool_call\",\"agent_id\":\"a\",\"attributes\":{\"tool\":\"search\"},"
                + "\"input\":{\"q\":\"Lyon\"},\"output\":\"{\\\"hits\\\":2}\"}").events().get(0).content().body();
        assertEquals("{\"tool_call\":{\"name\":\"search\",\"arguments\":{\"q\":\"Lyon\"},\"result\":{\"hits\":2}}}", doc.toString());
    }

    @Test
    void anEventWithoutInputOrOutputSaysNothing() {
        assertEquals(null, read("{\"event_type\":\"llm_call\",\"agent_id\":\"a\"}").events().get(0).content());
    }
}
