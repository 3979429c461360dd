package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Vercel AI SDK's telemetry ({@code experimental_telemetry: {isEnabled: true, functionId}}) as
 * the JavaScript OTLP/HTTP JSON exporter sends it: a {@code generateText} call that asks the model,
 * runs a tool and asks again. Ids in hex, kinds and status codes as integers, times as strings.
 */
class VercelAiSdkMappingTest {

    static final String TRACE_ID = "a3c1f2e4b5d6978812345678abcdef01";

    static final String EXPORT = """
            {"resourceSpans":[{"resource":{"attributes":[
                {"key":"service.name","value":{"stringValue":"weather-app"}},
                {"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}},
                {"key":"telemetry.sdk.name","value":{"stringValue":"opentelemetry"}}],"droppedAttributesCount":0},
             "scopeSpans":[{"scope":{"name":"ai","version":""},"spans":[
              {"traceId":"a3c1f2e4b5d6978812345678abcdef01","spanId":"1a2b3c4d5e6f7081","parentSpanId":"0f1e2d3c4b5a6978",
               "name":"ai.generateText.doGenerate","kind":1,
               "startTimeUnixNano":"1767225600010000000","endTimeUnixNano":"1767225600400000000",
               "attributes":[
                {"key":"operation.name","value":{"stringValue":"ai.generateText.doGenerate weather-agent"}},
                {"key":"ai.operationId","value":{"stringValue":"ai.generateText.doGenerate"}},
                {"key":"ai.model.provider","value":{"stringValue":"mock-provider"}},
                {"key":"ai.model.id","value":{"stringValue":"mock-model-id"}},
                {"key":"ai.telemetry.functionId","value":{"stringValue":"weather-agent"}},
                {"key":"ai.response.finishReason","value":{"stringValue":"tool-calls"}},
                {"key":"ai.response.toolCalls","value":{"stringValue":"[{\\"toolCallType\\":\\"function\\",\\"toolCallId\\":\\"call-1\\",\\"toolName\\":\\"weather\\",\\"args\\":\\"{\\\\\\"city\\\\\\":\\\\\\"Paris\\\\\\"}\\"}]"}},
                {"key":"ai.usage.promptTokens","value":{"intValue":10}},
                {"key":"ai.usage.completionTokens","value":{"intValue":20}},
                {"key":"gen_ai.system","value":{"stringValue":"mock-provider"}},
                {"key":"gen_ai.request.model","value":{"stringValue":"mock-model-id"}},
                {"key":"gen_ai.response.finish_reasons","value":{"arrayValue":{"values":[{"stringValue":"tool-calls"}]}}},
                {"key":"gen_ai.response.model","value":{"stringValue":"mock-model-id"}},
                {"key":"gen_ai.usage.input_tokens","value":{"intValue":10}},
                {"key":"gen_ai.usage.output_tokens","value":{"intValue":20}}],
               "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},"links":[],"droppedLinksCount":0},
              {"traceId":"a3c1f2e4b5d6978812345678abcdef01","spanId":"2b3c4d5e6f708192","parentSpanId":"0f1e2d3c4b5a6978",
               "name":"ai.toolCall","kind":1,
               "startTimeUnixNano":"1767225600401000000","endTimeUnixNano":"1767225600450000000",
               "attributes":[
                {"key":"operation.name","value":{"stringValue":"ai.toolCall weather-agent"}},
                {"key":"ai.operationId","value":{"stringValue":"ai.toolCall"}},
                {"key":"ai.telemetry.functionId","value":{"stringValue":"weather-agent"}},
                {"key":"ai.toolCall.name","value":{"stringValue":"weather"}},
                {"key":"ai.toolCall.id","value":{"stringValue":"call-1"}},
                {"key":"ai.toolCall.args","value":{"stringValue":"{\\"city\\":\\"Paris\\"}"}},
                {"key":"ai.toolCall.result","value":{"stringValue":"{\\"temperature\\":21}"}}],
               "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},"links":[],"droppedLinksCount":0},
              {"traceId":"a3c1f2e4b5d6978812345678abcdef01","spanId":"3c4d5e6f708192a3","parentSpanId":"0f1e2d3c4b5a6978",
               "name":"ai.generateText.doGenerate","kind":1,
               "startTimeUnixNano":"1767225600451000000","endTimeUnixNano":"1767225600700000000",
               "attributes":[
                {"key":"ai.operationId","value":{"stringValue":"ai.generateText.doGenerate"}},
                {"key":"ai.telemetry.functionId","value":{"stringValue":"weather-agent"}},
                {"key":"gen_ai.system","value":{"stringValue":"mock-provider"}},
                {"key":"gen_ai.request.model","value":{"stringValue":"mock-model-id"}},
                {"key":"gen_ai.usage.input_tokens","value":{"intValue":"25"}},
                {"key":"gen_ai.usage.output_tokens","value":{"intValue":"8"}}],
               "status":{"code":0}},
              {"traceId":"a3c1f2e4b5d6978812345678abcdef01","spanId":"0f1e2d3c4b5a6978",
               "name":"ai.generateText","kind":1,
               "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225600710000000",
               "attributes":[
                {"key":"operation.name","value":{"stringValue":"ai.generateText weather-agent"}},
                {"key":"ai.operationId","value":{"stringValue":"ai.generateText"}},
                {"key":"ai.model.provider","value":{"stringValue":"mock-provider"}},
                {"key":"ai.model.id","value":{"stringValue":"mock-model-id"}},
                {"key":"ai.telemetry.functionId","value":{"stringValue":"weather-agent"}},
                {"key":"ai.settings.maxRetries","value":{"intValue":2}},
                {"key":"ai.prompt","value":{"stringValue":"{\\"prompt\\":\\"What is the weather in Paris?\\"}"}},
                {"key":"ai.response.text","value":{"stringValue":"It is 21 degrees in Paris."}},
                {"key":"ai.usage.promptTokens","value":{"intValue":35}},
                {"key":"ai.usage.completionTokens","value":{"intValue":28}}],
               "status":{"code":0}}]}]}]}
            """;

    private static MappedSpans mapped() throws OtlpDecodingException {
        return Otlp.map(ExportRequestDecoder.fromJson(EXPORT.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<TraceEvent> ofSpan(MappedSpans mapped, String spanId) {
        return Otlp.events(mapped).stream().filter(e -> spanId.equals(e.spanId())).toList();
    }

    @Test
    void theOuterCallWithAFunctionIdIsTheAgentAndTheWorkflow() throws Exception {
        MappedSpans mapped = mapped();
        assertEquals(List.of(TRACE_ID), List.copyOf(mapped.eventsByTrace().keySet()));
        List<TraceEvent> call = ofSpan(mapped, "0f1e2d3c4b5a6978");
        assertEquals(List.of("workflow_started", "agent_called", "task_started", "task_completed", "workflow_completed"), types(call));
        assertTrue(call.stream().allMatch(e -> "weather-agent".equals(e.agentId())));
        assertEquals("2026-01-01T00:00:00Z", call.get(0).timestamp().toString());
        assertEquals(710L, call.get(3).durationMs());
        assertEquals("unset", call.get(4).status(), "status code 0");
        assertNull(call.get(3).inputTokens(), "the call's usage sums its steps: counted once, on the model calls");
    }

    @Test
    void eachDoGenerateIsAnLlmCallOfTheFunctionsAgent() throws Exception {
        MappedSpans mapped = mapped();
        TraceEvent first = ofSpan(mapped, "1a2b3c4d5e6f7081").get(0);
        assertEquals("llm_call", first.eventType());
        assertEquals("weather-agent", first.agentId());
        assertEquals("span", attr(first, "agent_source"), "every AI SDK span carries its functionId");
        assertEquals("mock-model-id", first.model());
        assertEquals(10L, first.inputTokens());
        assertEquals(20L, first.outputTokens());
        assertEquals("mock-provider", attr(first, "provider"));
        assertEquals(390L, first.durationMs());
        assertEquals("2026-01-01T00:00:00.400Z", first.timestamp().toString());
        assertEquals("[\"tool-calls\"]", attr(first, "gen_ai.response.finish_reasons"));
        TraceEvent second = ofSpan(mapped, "3c4d5e6f708192a3").get(0);
        assertEquals(25L, second.inputTokens(), "int64 sent as a string");
        assertEquals(8L, second.outputTokens());
    }

    @Test
    void theToolCallIsAToolCallNamedAfterTheTool() throws Exception {
        TraceEvent tool = ofSpan(mapped(), "2b3c4d5e6f708192").get(0);
        assertEquals("tool_call", tool.eventType());
        assertEquals("weather", attr(tool, "tool"));
        assertEquals("call-1", attr(tool, "tool_call_id"));
        assertNull(attr(tool, "ai.toolCall.args"), "moved beside the event, not copied");
        assertEquals("Paris", tool.content().body().getJsonObject("tool_call").getJsonObject("arguments").getString("city"));
        assertEquals("0f1e2d3c4b5a6978", tool.parentSpanId());
    }

    @Test
    void theTokensOfTheRunAreThoseOfItsModelCalls() throws Exception {
        List<TraceEvent> events = Otlp.events(mapped());
        long input = events.stream().filter(e -> e.inputTokens() != null).mapToLong(TraceEvent::inputTokens).sum();
        long output = events.stream().filter(e -> e.outputTokens() != null).mapToLong(TraceEvent::outputTokens).sum();
        assertEquals(35L, input);
        assertEquals(28L, output);
        assertEquals(new BigDecimal(2), attr(events.get(events.size() - 2), "ai.settings.maxRetries"));
    }

    @Test
    void aStreamTextWithoutFunctionIdIsAStepAndItsDoStreamAModelCallOfTheService() throws Exception {
        String json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"chat-ui"}}]},
                 "scopeSpans":[{"spans":[
                  {"traceId":"a3c1f2e4b5d6978812345678abcdef02","spanId":"1111111111111111","parentSpanId":"2222222222222222",
                   "name":"ai.streamText.doStream","kind":1,"startTimeUnixNano":1767225600100000000,"endTimeUnixNano":1767225601100000000,
                   "attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
                                 {"key":"gen_ai.usage.input_tokens","value":{"intValue":"5"}}]},
                  {"traceId":"a3c1f2e4b5d6978812345678abcdef02","spanId":"2222222222222222",
                   "name":"ai.streamText","kind":1,"startTimeUnixNano":1767225600000000000,"endTimeUnixNano":1767225601200000000,
                   "attributes":[{"key":"ai.operationId","value":{"stringValue":"ai.streamText"}}]}]}]}]}
                """;
        MappedSpans mapped = Otlp.map(ExportRequestDecoder.fromJson(json.getBytes(StandardCharsets.UTF_8)));
        TraceEvent stream = ofSpan(mapped, "1111111111111111").get(0);
        assertEquals("llm_call", stream.eventType(), "recognised by its span name");
        assertEquals("chat-ui", stream.agentId());
        assertEquals("gpt-4o", stream.model());
        assertEquals(List.of("workflow_started", "task_started", "task_completed", "workflow_completed"),
                types(ofSpan(mapped, "2222222222222222")));
    }
}
