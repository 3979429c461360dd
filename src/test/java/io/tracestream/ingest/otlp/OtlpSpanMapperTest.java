package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.TRACE;
import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.bytes;
import static io.tracestream.ingest.otlp.Otlp.event;
import static io.tracestream.ingest.otlp.Otlp.map;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.ofSpan;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.spanId;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventRules;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad spans, limits, the agent of a span whose ancestors come later, and speed. */
class OtlpSpanMapperTest {

    private static Span.Builder agent(String name, int id, int parent) {
        return span("invoke_agent " + name, id, parent, 10, 900)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", name));
    }

    private static Span.Builder tool(String name, int id, int parent) {
        return span("execute_tool " + name, id, parent, 100, 200)
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", name));
    }

    private static Span.Builder chat(int id, int parent) {
        return span("chat gpt-4o", id, parent, 200, 300)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(num("gen_ai.usage.input_tokens", 10))
                .addAttributes(num("gen_ai.usage.output_tokens", 5));
    }

    private static String reasonFor(MappedSpans mapped, int id) {
        return mapped.rejected().stream().filter(r -> r.spanId().equals(spanId(id))).findFirst()
                .orElseThrow(() -> new AssertionError("span " + id + " not rejected: " + mapped.rejected())).reason();
    }

    @Test
    void spansWithInvalidIdsAreRejectedAndTheRestMapped() {
        MappedSpans mapped = map(Otlp.request("svc",
                tool("good", 1, 0),
                tool("short_trace", 2, 0).setTraceId(bytes("4bf92f3577b34da6")),
                tool("zero_trace", 3, 0).setTraceId(ByteString.copyFrom(new byte[16])),
                tool("no_trace", 4, 0).setTraceId(ByteString.EMPTY),
                tool("long_span", 5, 0).setSpanId(bytes("00f067aa0ba902b7ff")),
                tool("zero_span", 6, 0).setSpanId(ByteString.copyFrom(new byte[8])),
                tool("short_parent", 7, 0).setParentSpanId(bytes("00f067aa")),
                tool("zero_parent", 8, 0).setParentSpanId(ByteString.copyFrom(new byte[8]))));
        assertEquals(8, mapped.spanCount());
        assertEquals(1, mapped.acceptedSpans());
        assertEquals(List.of("tool_call"), types(ofSpan(mapped, 1)).subList(1, 2));
        assertEquals("trace_id must be 32 hex characters (16 bytes), got 16", reasonFor(mapped, 2));
        assertEquals("trace_id must not be all zeros", reasonFor(mapped, 3));
        assertEquals("trace_id must be 32 hex characters (16 bytes), got 0 (missing)", reasonFor(mapped, 4));
        assertEquals("parent_span_id must be 16 hex characters (8 bytes), got 8", reasonFor(mapped, 7));
        assertEquals("parent_span_id must not be all zeros", reasonFor(mapped, 8));
        assertTrue(mapped.rejected().stream().anyMatch(r -> r.spanId().equals("00f067aa0ba902b7ff")
                && r.reason().equals("span_id must be 16 hex characters (8 bytes), got 18")));
        assertTrue(mapped.rejected().stream().anyMatch(r -> r.spanId().equals("0000000000000000")
                && r.reason().equals("span_id must not be all zeros")));
        String message = mapped.errorMessage();
        assertTrue(message.startsWith("7 of 8 spans rejected: span 00f067aa00000002 of trace 4bf92f3577b34da6: trace_id must be"), message);
        assertTrue(message.endsWith("; and 4 more"), message);
    }

    @Test
    void theErrorMessageCountsTheRejectedOfAllSpans() {
        MappedSpans one = map(Otlp.request("svc", tool("good", 1, 0), tool("bad", 2, 0).setStartTimeUnixNano(0),
                tool("good_too", 3, 0)));
        assertTrue(one.errorMessage().startsWith("1 of 3 spans rejected: span 00f067aa00000002 "), one.errorMessage());
        MappedSpans only = map(Otlp.request("svc", tool("bad", 1, 0).setStartTimeUnixNano(0)));
        assertTrue(only.errorMessage().startsWith("1 of 1 span rejected: "), only.errorMessage());
    }

    @Test
    void spansWithMissingOrReversedTimesAreRejected() {
        MappedSpans mapped = map(Otlp.request("svc",
                tool("no_start", 1, 0).setStartTimeUnixNano(0),
                tool("no_end", 2, 0).setEndTimeUnixNano(0),
                tool("reversed", 3, 0).setEndTimeUnixNano(Otlp.ms(50)),
                tool("far_future", 4, 0).setEndTimeUnixNano(-1L),
                tool("instant", 5, 0).setEndTimeUnixNano(Otlp.ms(100))));
        assertEquals("start_time_unix_nano is missing", reasonFor(mapped, 1));
        assertEquals("end_time_unix_nano is missing", reasonFor(mapped, 2));
        assertEquals("end_time_unix_nano is before start_time_unix_nano", reasonFor(mapped, 3));
        assertEquals("end_time_unix_nano is out of range", reasonFor(mapped, 4));
        assertEquals(0L, event(mapped, 5, "tool_call").durationMs(), "a zero-length span is fine");
    }

    @Test
    void timestampsKeepTheSpansNanoseconds() {
        MappedSpans mapped = map(Otlp.request("svc", tool("t", 1, 0)
                .setStartTimeUnixNano(Otlp.T0 + 123_456_789L).setEndTimeUnixNano(Otlp.T0 + 1_987_654_321L)));
        TraceEvent call = event(mapped, 1, "tool_call");
        assertEquals("2026-01-01T00:00:01.987654321Z", call.timestamp().toString());
        assertEquals("2026-01-01T00:00:00.123456789Z", event(mapped, 1, "workflow_started").timestamp().toString());
        assertEquals(1_864L, call.durationMs());
    }

    /** The defect found from outside: a 100 KB prompt rejected the whole call, its tokens and cost with it. */
    @Test
    void aHundredKilobytePromptIsTheCallsContentNotAReasonToRejectIt() {
        String prompt = "r".repeat(100 * 1024);
        String messages = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + prompt + "\"}]}]";
        MappedSpans mapped = map(Otlp.request("svc", agent("writer", 1, 0),
                chat(2, 1).addAttributes(str("gen_ai.input.messages", messages))));
        assertEquals(List.of(), mapped.rejected());
        TraceEvent call = event(mapped, 2, "llm_call");
        assertEquals(10L, call.inputTokens());
        assertNull(attr(call, "gen_ai.input.messages"), "moved beside the event");
        assertEquals(prompt, call.content().body().getJsonArray("input").getJsonObject(0).getJsonArray("parts")
                .getJsonObject(0).getString("content"));
    }

    @Test
    void anAttributeValueOverTheTextLimitIsCutAndMarkedNeverLosingTheSpan() {
        String huge = "x".repeat(TraceEventRules.MAX_TEXT_LENGTH + 1000);
        String largest = "y".repeat(TraceEventRules.MAX_TEXT_LENGTH);
        MappedSpans mapped = map(Otlp.request("svc",
                agent("writer", 1, 0),
                chat(2, 1).addAttributes(str("app.retrieved_document", huge)),
                chat(3, 1).addAttributes(str("app.retrieved_document", largest))));
        assertEquals(List.of(), mapped.rejected());
        TraceEvent cut = event(mapped, 2, "llm_call");
        String value = (String) attr(cut, "app.retrieved_document");
        assertEquals(TraceEventRules.MAX_TEXT_LENGTH, value.length(), "cut to the limit, its mark included");
        assertTrue(value.startsWith("xxxx") && value.contains("[truncated: " + huge.length() + " characters, "), value.substring(value.length() - 60));
        assertEquals(java.math.BigDecimal.ONE, attr(cut, "attributes_truncated"));
        assertEquals(10L, cut.inputTokens(), "the call's facts are all there");
        assertEquals(largest, attr(event(mapped, 3, "llm_call"), "app.retrieved_document"), "a value at the limit is whole");
        assertEquals(3, mapped.acceptedSpans());
    }

    @Test
    void aModelOrAgentNameOverTheNameLimitOrNegativeTokensRejectTheSpan() {
        MappedSpans mapped = map(Otlp.request("svc",
                chat(1, 0).addAttributes(str("gen_ai.response.model", "m".repeat(257))),
                agent("a".repeat(300), 2, 0),
                chat(3, 0).setAttributes(2, num("gen_ai.usage.input_tokens", -4)),
                tool("t", 4, 0).addAttributes(str("k".repeat(257), "v"))));
        assertEquals("workflow_started agent_id: must be at most 256 characters", reasonFor(mapped, 2));
        assertTrue(reasonFor(mapped, 1).endsWith("model: must be at most 256 characters"), reasonFor(mapped, 1));
        assertEquals("llm_call input_tokens: " + io.tracestream.domain.TraceEventRules.COUNT_RULE, reasonFor(mapped, 3));
        assertTrue(reasonFor(mapped, 4).startsWith("tool_call attributes.kkkk"), reasonFor(mapped, 4));
        assertTrue(reasonFor(mapped, 4).length() <= 300);
        assertEquals(0, mapped.acceptedSpans());
        assertTrue(mapped.eventsByTrace().isEmpty());
    }

    @Test
    void attributesBeyondTheCapAreDroppedAndCountedKeepingTheDerivedOnesFirst() {
        Span.Builder busy = tool("busy", 1, 0);
        for (int i = 0; i < 200; i++) {
            busy.addAttributes(str("custom." + i, "v" + i));
        }
        TraceEvent call = event(map(Otlp.request("svc", busy)), 1, "tool_call");
        assertEquals(TraceEventRules.MAX_ATTRIBUTES, call.attributes().size());
        List<String> keys = List.copyOf(call.attributes().keySet());
        assertEquals(List.of("agent_source", "service.name", "span_name", "span_kind", "tool"), keys.subList(0, 5));
        assertEquals("attributes_dropped", keys.get(keys.size() - 1));
        int derived = 5;
        int kept = TraceEventRules.MAX_ATTRIBUTES - derived - 1;
        // The span's own: gen_ai.operation.name, gen_ai.tool.name, then custom.0 ...
        assertEquals(new BigDecimal(2 + 200 - kept), attr(call, "attributes_dropped"));
        assertEquals("v0", attr(call, "custom.0"));
        assertFalse(call.attributes().containsKey("custom.199"));
    }

    @Test
    void nonScalarAttributeValuesBecomeJsonText() {
        KeyValueList.Builder kv = KeyValueList.newBuilder()
                .addValues(KeyValue.newBuilder().setKey("role").setValue(AnyValue.newBuilder().setStringValue("user")))
                .addValues(KeyValue.newBuilder().setKey("n").setValue(AnyValue.newBuilder().setIntValue(2)))
                .addValues(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(
                        ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setBoolValue(true))
                                .addValues(AnyValue.newBuilder().setDoubleValue(Double.NaN)))));
        TraceEvent call = event(map(Otlp.request("svc", tool("t", 1, 0)
                .addAttributes(KeyValue.newBuilder().setKey("message").setValue(AnyValue.newBuilder().setKvlistValue(kv)))
                .addAttributes(KeyValue.newBuilder().setKey("blob").setValue(AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(new byte[] {0, 1, 2}))))
                .addAttributes(KeyValue.newBuilder().setKey("empty").setValue(AnyValue.getDefaultInstance()))
                .addAttributes(Otlp.dbl("ratio", Double.POSITIVE_INFINITY))
                .addAttributes(KeyValue.newBuilder().setKey("ok").setValue(AnyValue.newBuilder().setBoolValue(true))))),
                1, "tool_call");
        assertEquals("{\"role\":\"user\",\"n\":2,\"tags\":[true,\"NaN\"]}", attr(call, "message"));
        assertEquals("\"AAEC\"", attr(call, "blob"));
        assertFalse(call.attributes().containsKey("empty"), "an empty value says nothing");
        assertEquals("Infinity", attr(call, "ratio"));
        assertEquals(Boolean.TRUE, attr(call, "ok"));
    }

    @Test
    void aSpanWithoutAnAgentTakesItsNearestAgentAncestorsWithinTheRequest() {
        MappedSpans mapped = map(Otlp.request("svc",
                tool("grep", 4, 3),
                span("step", 3, 2, 50, 800),
                agent("analyst", 2, 1),
                span("root", 1, 0, 0, 1_000)));
        TraceEvent call = event(mapped, 4, "tool_call");
        assertEquals("analyst", call.agentId());
        assertEquals("ancestor", attr(call, "agent_source"));
        assertEquals("analyst", event(mapped, 3, "task_started").agentId());
        assertEquals("svc", event(mapped, 1, "task_started").agentId());
        assertEquals("service", attr(event(mapped, 1, "task_started"), "agent_source"));
    }

    @Test
    void childrenArrivingBeforeTheirParentsAreTheServicesUntilTheParentIsInTheSameRequest() {
        // First export: the tool and the model call of an agent that is still running.
        MappedSpans first = map(Otlp.request("billing-svc", tool("lookup", 5, 2), chat(6, 2)));
        TraceEvent early = event(first, 5, "tool_call");
        assertEquals("billing-svc", early.agentId());
        assertEquals("service", attr(early, "agent_source"));
        assertEquals(spanId(2), early.parentSpanId(), "the parent stays named, for re-attribution");
        assertEquals("service", attr(event(first, 6, "llm_call"), "agent_source"));
        assertTrue(ofSpan(first, 5).stream().noneMatch(e -> e.eventType().startsWith("workflow")),
                "a child is no root, whether or not its parent is here");
        // Second export: the agent itself, with its last child, then the root.
        MappedSpans second = map(Otlp.request("billing-svc", tool("refund", 7, 2), agent("billing", 2, 1),
                span("session", 1, 0, 0, 1_000)));
        assertEquals("billing", event(second, 7, "tool_call").agentId());
        assertEquals("ancestor", attr(event(second, 7, "tool_call"), "agent_source"));
        assertEquals("span", attr(event(second, 2, "agent_called"), "agent_source"));
        assertEquals(List.of("workflow_started", "task_started", "task_completed", "workflow_completed"),
                types(ofSpan(second, 1)));
    }

    @Test
    void aResourceWithoutServiceNameIsTheUnknownService() {
        TraceEvent call = event(map(Otlp.request(null, tool("t", 1, 0))), 1, "tool_call");
        assertEquals("unknown_service", call.agentId());
        assertEquals("unknown_service", attr(call, "service.name"));
    }

    @Test
    void spansOfTwoOtelTracesGoToTwoTracesInTraceMode() {
        MappedSpans mapped = map(Otlp.request("svc", tool("a", 1, 0),
                tool("b", 2, 0).setTraceId(bytes(Otlp.OTHER_TRACE))));
        assertEquals(List.of(TRACE, Otlp.OTHER_TRACE), List.copyOf(mapped.eventsByTrace().keySet()));
        assertFalse(event(mapped, 1, "tool_call").attributes().containsKey("otel_trace_id"));
    }

    @Test
    void conversationModeJoinsTheTurnsOfAConversationIntoOneTraceNamedAfterIt() {
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.CONVERSATION);
        ExportTraceServiceRequest turns = Otlp.request("chat-app",
                agent("assistant", 1, 0).addAttributes(str("gen_ai.conversation.id", "conv_5j66UpCpwteGg4YSxUnt7lPY")),
                tool("search", 2, 1),
                agent("assistant", 3, 0).setTraceId(bytes(Otlp.OTHER_TRACE))
                        .addAttributes(str("gen_ai.conversation.id", "conv_5j66UpCpwteGg4YSxUnt7lPY")),
                tool("lonely", 4, 0).setTraceId(bytes("11111111111111111111111111111111")));
        MappedSpans mapped = mapper.map(turns);
        assertEquals(List.of("conv_5j66UpCpwteGg4YSxUnt7lPY", "11111111111111111111111111111111"),
                List.copyOf(mapped.eventsByTrace().keySet()));
        TraceEvent firstTurn = event(mapped, 1, "agent_called");
        assertEquals("conv_5j66UpCpwteGg4YSxUnt7lPY", firstTurn.traceId());
        assertEquals(TRACE, attr(firstTurn, "otel_trace_id"));
        assertEquals("conv_5j66UpCpwteGg4YSxUnt7lPY", attr(firstTurn, "gen_ai.conversation.id"));
        assertEquals(Otlp.OTHER_TRACE, attr(event(mapped, 3, "agent_called"), "otel_trace_id"));
        assertEquals("conv_5j66UpCpwteGg4YSxUnt7lPY", event(mapped, 2, "tool_call").traceId(),
                "a span without the attribute inherits its ancestor's conversation");
        assertEquals("otlp:" + TRACE + ":" + spanId(1) + ":called", firstTurn.eventId(), "ids stay OTel's");
    }

    @Test
    void conversationModeFallsBackToSessionIdAndPrefersTheConversationId() {
        MappedSpans mapped = new OtlpSpanMapper(TraceIdMode.CONVERSATION).map(Otlp.request("svc",
                tool("a", 1, 0).addAttributes(str("session.id", "session-42")),
                tool("b", 2, 0).addAttributes(str("session.id", "session-42")).addAttributes(str("gen_ai.conversation.id", "c-1"))));
        assertEquals("session-42", event(mapped, 1, "tool_call").traceId());
        assertEquals("session-42", attr(event(mapped, 1, "tool_call"), "session.id"));
        assertEquals("c-1", event(mapped, 2, "tool_call").traceId());
    }

    @Test
    void aConversationIdThatCannotNameATraceKeepsTheOtelTraceId() {
        MappedSpans mapped = new OtlpSpanMapper(TraceIdMode.CONVERSATION).map(Otlp.request("svc",
                tool("a", 1, 0).addAttributes(str("gen_ai.conversation.id", "user 7 / chat #3")),
                tool("b", 2, 0).addAttributes(str("session.id", "s".repeat(129)))));
        assertEquals(TRACE, event(mapped, 1, "tool_call").traceId());
        assertEquals("user 7 / chat #3", attr(event(mapped, 1, "tool_call"), "gen_ai.conversation.id"));
        assertEquals(TRACE, event(mapped, 2, "tool_call").traceId());
        assertEquals(List.of(), mapped.rejected());
    }

    @Test
    void inTraceModeTheConversationIsOnlyRecorded() {
        TraceEvent call = event(map(Otlp.request("svc", tool("a", 1, 0).addAttributes(str("gen_ai.conversation.id", "c-1")))),
                1, "tool_call");
        assertEquals(TRACE, call.traceId());
        assertEquals("c-1", attr(call, "gen_ai.conversation.id"));
    }

    @Test
    void theModeIsReadFromTheSettingValue() {
        assertEquals(TraceIdMode.TRACE, TraceIdMode.fromSetting("trace"));
        assertEquals(TraceIdMode.CONVERSATION, TraceIdMode.fromSetting(" Conversation "));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TraceIdMode.fromSetting("session"));
        assertTrue(e.getMessage().contains("tracestream.otlp.trace-id-from"));
    }

    @Test
    void aParentCycleEndsTheAncestorWalk() {
        MappedSpans mapped = map(Otlp.request("svc", tool("a", 1, 2), tool("b", 2, 1)));
        assertEquals("svc", event(mapped, 1, "tool_call").agentId());
        assertEquals(2, mapped.acceptedSpans());
    }

    @Test
    void theSameSpanTwiceInARequestGivesTheSameEventIdsForTheDedupToKeepOnce() {
        MappedSpans mapped = map(Otlp.request("svc", tool("a", 1, 0), tool("a", 1, 0)));
        List<String> ids = Otlp.events(mapped).stream().map(TraceEvent::eventId).toList();
        assertEquals(6, ids.size());
        assertEquals(3, ids.stream().distinct().count());
    }

    @Test
    void anEmptyRequestMapsToNothing() {
        MappedSpans mapped = map(ExportTraceServiceRequest.getDefaultInstance());
        assertEquals(0, mapped.spanCount());
        assertTrue(mapped.eventsByTrace().isEmpty());
        assertNull(mapped.errorMessage());
    }

    /** 10,000 spans in one request: one agent and 9,999 model and tool calls under it. */
    static ExportTraceServiceRequest tenThousandSpans() {
        Span.Builder[] spans = new Span.Builder[10_000];
        spans[0] = agent("worker", 1, 0).setEndTimeUnixNano(Otlp.ms(60_000));
        for (int i = 1; i < spans.length; i++) {
            spans[i] = (i % 2 == 0 ? tool("t" + (i % 7), i + 1, 1) : chat(i + 1, 1)
                    .addAttributes(str("gen_ai.response.model", "gpt-4o-2024-08-06"))
                    .addAttributes(str("gen_ai.provider.name", "openai")));
        }
        return Otlp.request("bulk", spans);
    }

    @Test
    void tenThousandSpansInOneRequestMapWellUnderASecond() {
        ExportTraceServiceRequest request = tenThousandSpans();
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.TRACE);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        MappedSpans mapped = mapper.map(request);
        long cpuMs = (threads.getCurrentThreadCpuTime() - startCpu) / 1_000_000L;
        long tookMs = (System.nanoTime() - start) / 1_000_000L;
        System.out.printf("10,000 spans in one request, cold: %d ms CPU, %d ms wall%n", cpuMs, tookMs);
        assertEquals(10_000, mapped.acceptedSpans());
        assertEquals(5 + 9_999, mapped.eventCount());
        assertEquals("worker", event(mapped, 9_999, "tool_call").agentId());
        assertEquals("worker", event(mapped, 10_000, "llm_call").agentId());
        // CPU time: the machine is shared, and wall time would measure the neighbours too.
        assertTrue(cpuMs < 1_000, "took " + cpuMs + " ms of CPU, cold");
    }

    /**
     * The mapping's throughput, measured with a simple loop after warming up, in spans per second
     * of this thread's CPU time (the machine is shared: wall time measures the neighbours too) and
     * of wall time; printed for the record (the end-to-end target is 100,000 spans/s on 2 cores).
     * Asserts only a floor far below what it measures, so that a slow machine does not fail the build.
     */
    @Test
    void mappingThroughputIsPrintedAndFarAboveTheIngestTarget() throws Exception {
        byte[] protobuf = tenThousandSpans().toByteArray();
        OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.TRACE);
        for (int i = 0; i < 5; i++) {
            mapper.map(ExportRequestDecoder.fromProtobuf(protobuf));
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int rounds = 5;
        long mapCpu = 0;
        long decodeCpu = 0;
        long wall = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            ExportTraceServiceRequest decoded = ExportRequestDecoder.fromProtobuf(protobuf);
            long t1 = threads.getCurrentThreadCpuTime();
            mapper.map(decoded);
            long t2 = threads.getCurrentThreadCpuTime();
            decodeCpu += t1 - t0;
            mapCpu += t2 - t1;
        }
        wall = System.nanoTime() - wall;
        double spans = 10_000.0 * rounds;
        double mapRate = spans / (mapCpu / 1e9);
        System.out.printf("OTLP mapping: %.0f spans per CPU second; protobuf decoding: %.0f spans per CPU second;"
                + " both: %.0f spans/s wall (%d bytes per 10,000 spans)%n",
                mapRate, spans / (decodeCpu / 1e9), spans / (wall / 1e9), protobuf.length);
        assertTrue(mapRate > 50_000, "mapping " + mapRate + " spans per CPU second");
    }
}
