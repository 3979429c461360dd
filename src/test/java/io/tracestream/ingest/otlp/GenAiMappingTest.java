package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.TRACE;
import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.dbl;
import static io.tracestream.ingest.otlp.Otlp.event;
import static io.tracestream.ingest.otlp.Otlp.failed;
import static io.tracestream.ingest.otlp.Otlp.map;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.ofSpan;
import static io.tracestream.ingest.otlp.Otlp.ok;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.spanId;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.strings;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.AgentSummary;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A four-agent run as a GenAI-instrumented framework exports it (AG2, AutoGen, ADK, Strands...):
 * a workflow, a planner calling a researcher, a coder and a tester; model and tool calls; the
 * tester's test tool fails and so does the tester. Spans are in end order, as a batch processor
 * sends them: children before their parents.
 */
class GenAiMappingTest {

    static final String SERVICE = "code-review-service";

    static ExportTraceServiceRequest codeReviewRun() {
        Span.Builder workflow = span("invoke_workflow code_review", 1, 0, 0, 10_000)
                .addAttributes(str("gen_ai.operation.name", "invoke_workflow"))
                .addAttributes(str("gen_ai.workflow.name", "code_review"));
        Span.Builder planner = ok(span("invoke_agent planner", 2, 1, 100, 9_900))
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "planner"))
                .addAttributes(str("gen_ai.agent.id", "asst_planner_01"))
                .addAttributes(str("gen_ai.provider.name", "openai"));
        Span.Builder researcher = span("invoke_agent researcher", 3, 2, 200, 4_000)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "researcher"));
        Span.Builder researcherChat = span("chat gpt-4o", 6, 3, 300, 2_300)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(str("gen_ai.response.model", "gpt-4o-2024-08-06"))
                .addAttributes(num("gen_ai.usage.input_tokens", 1_200))
                .addAttributes(num("gen_ai.usage.output_tokens", 340))
                .addAttributes(num("gen_ai.usage.cache_read.input_tokens", 1_024))
                .addAttributes(strings("gen_ai.response.finish_reasons", "tool_calls"))
                .addAttributes(dbl("gen_ai.request.temperature", 0.2));
        Span.Builder search = span("execute_tool web_search", 7, 3, 2_400, 3_900)
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", "web_search"))
                .addAttributes(str("gen_ai.tool.call.id", "call_Q2x7"))
                .addAttributes(str("gen_ai.tool.type", "function"));
        Span.Builder coder = span("invoke_agent coder", 4, 2, 4_100, 9_000)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "coder"));
        // Older instrumentation: prompt/completion tokens, gen_ai.system, no agent name on the model span.
        Span.Builder coderChat = span("chat claude-sonnet-4", 8, 4, 4_200, 7_000)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.system", "anthropic"))
                .addAttributes(str("gen_ai.request.model", "claude-sonnet-4"))
                .addAttributes(num("gen_ai.usage.prompt_tokens", 2_000))
                .addAttributes(num("gen_ai.usage.completion_tokens", 800));
        Span.Builder write = span("execute_tool write_file", 9, 4, 7_100, 7_200)
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", "write_file"));
        Span.Builder tester = failed(span("invoke_agent tester", 5, 2, 9_000, 9_800)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "tester")), "AssertionError", "2 of 14 tests failed");
        Span.Builder runTests = span("execute_tool run_tests", 10, 5, 9_100, 9_700)
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", "run_tests"))
                .addAttributes(str("error.type", "TestFailure"))
                .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                        .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("test_parser failed"));
        return Otlp.request(SERVICE, researcherChat, search, researcher, coderChat, write, coder, runTests, tester,
                planner, workflow);
    }

    @Test
    void theRunGoesToOneTraceNamedAfterTheOtelTraceIdWithNoSpanRejected() {
        MappedSpans mapped = map(codeReviewRun());
        assertEquals(List.of(TRACE), List.copyOf(mapped.eventsByTrace().keySet()));
        assertEquals(List.of(), mapped.rejected());
        assertNull(mapped.errorMessage());
        assertEquals(10, mapped.spanCount());
        assertTrue(Otlp.events(mapped).stream().allMatch(e -> TRACE.equals(e.traceId())));
    }

    @Test
    void anAgentSpanIsCalledAndStartedAtItsStartAndCompletedAtItsEnd() {
        MappedSpans mapped = map(codeReviewRun());
        List<TraceEvent> researcher = ofSpan(mapped, 3);
        assertEquals(List.of("agent_called", "task_started", "task_completed"), types(researcher));
        assertTrue(researcher.stream().allMatch(e -> "researcher".equals(e.agentId())));
        assertEquals(Instant.parse("2026-01-01T00:00:00.200Z"), researcher.get(0).timestamp());
        assertEquals(Instant.parse("2026-01-01T00:00:00.200Z"), researcher.get(1).timestamp());
        assertEquals(Instant.parse("2026-01-01T00:00:04Z"), researcher.get(2).timestamp());
        assertEquals(3_800L, researcher.get(2).durationMs());
        assertEquals("planner", attr(researcher.get(0), "caller_agent"));
        assertEquals(spanId(3), researcher.get(0).spanId());
        assertEquals(spanId(2), researcher.get(0).parentSpanId());
        assertEquals("invoke_agent researcher", researcher.get(1).taskId());
        assertEquals("unset", researcher.get(2).status());
        assertEquals("span", attr(researcher.get(0), "agent_source"));
        assertEquals(SERVICE, attr(researcher.get(0), "service.name"));
        assertEquals("invoke_agent researcher", attr(researcher.get(0), "span_name"));
        assertEquals("internal", attr(researcher.get(0), "span_kind"));
    }

    @Test
    void aFailedAgentSpanEndsWithTaskFailedCarryingTheExceptionTypeAndMessage() {
        TraceEvent end = event(map(codeReviewRun()), 5, "task_failed");
        assertEquals("tester", end.agentId());
        assertEquals(new TraceEvent.EventError("AssertionError", "2 of 14 tests failed"), end.error());
        assertEquals("error", end.status());
    }

    @Test
    void aModelSpanIsAnLlmCallAtItsEndWithTheResponseModelTokensAndCacheReads() {
        MappedSpans mapped = map(codeReviewRun());
        assertEquals(List.of("llm_call"), types(ofSpan(mapped, 6)));
        TraceEvent llm = event(mapped, 6, "llm_call");
        assertEquals("researcher", llm.agentId(), "the agent of its nearest agent ancestor");
        assertEquals("ancestor", attr(llm, "agent_source"));
        assertEquals("gpt-4o-2024-08-06", llm.model());
        assertEquals(1_200L, llm.inputTokens(), "cache reads are part of input_tokens, not added");
        assertEquals(340L, llm.outputTokens());
        assertEquals(new BigDecimal(1_024), attr(llm, "cache_read_input_tokens"));
        assertEquals("openai", attr(llm, "provider"));
        assertEquals(2_000L, llm.durationMs());
        assertEquals(Instant.parse("2026-01-01T00:00:02.300Z"), llm.timestamp());
        assertNull(llm.costUsd(), "the GenAI conventions carry no cost");
        assertEquals("client", attr(llm, "span_kind"));
        // The span's own attributes ride along, as they are; arrays as JSON text.
        assertEquals("[\"tool_calls\"]", attr(llm, "gen_ai.response.finish_reasons"));
        assertEquals(new BigDecimal("0.2"), attr(llm, "gen_ai.request.temperature"));
        assertEquals("gpt-4o", attr(llm, "gen_ai.request.model"));
    }

    @Test
    void olderTokenAttributesAndTheDeprecatedSystemAreRead() {
        TraceEvent llm = event(map(codeReviewRun()), 8, "llm_call");
        assertEquals("coder", llm.agentId());
        assertEquals("claude-sonnet-4", llm.model());
        assertEquals(2_000L, llm.inputTokens());
        assertEquals(800L, llm.outputTokens());
        assertEquals("anthropic", attr(llm, "provider"));
    }

    @Test
    void aToolSpanIsAToolCallNamedForTheSummaryWithItsCallId() {
        TraceEvent tool = event(map(codeReviewRun()), 7, "tool_call");
        assertEquals("researcher", tool.agentId());
        assertEquals("web_search", attr(tool, "tool"));
        assertEquals("call_Q2x7", attr(tool, "tool_call_id"));
        assertEquals(1_500L, tool.durationMs());
        assertNull(tool.error());
    }

    @Test
    void aFailedToolSpanWithoutExceptionEventTakesErrorTypeAndTheStatusMessage() {
        TraceEvent tool = event(map(codeReviewRun()), 10, "tool_call");
        assertEquals("tester", tool.agentId());
        assertEquals(new TraceEvent.EventError("TestFailure", "test_parser failed"), tool.error());
        assertEquals("error", tool.status());
    }

    @Test
    void theRootWorkflowSpanStartsAndCompletesTheWorkflowAsTheServiceWithAGenericStep() {
        MappedSpans mapped = map(codeReviewRun());
        List<TraceEvent> root = ofSpan(mapped, 1);
        assertEquals(List.of("workflow_started", "task_started", "task_completed", "workflow_completed"), types(root));
        assertTrue(root.stream().allMatch(e -> SERVICE.equals(e.agentId())));
        assertEquals("service", attr(root.get(0), "agent_source"));
        assertNull(root.get(0).parentSpanId());
        assertEquals(Otlp.ms(0), root.get(0).timestamp().toEpochMilli() * 1_000_000L);
        assertEquals(Instant.parse("2026-01-01T00:00:10Z"), root.get(3).timestamp());
    }

    @Test
    void anAgentCalledByNoAgentHasNoCallerAgent() {
        TraceEvent called = event(map(codeReviewRun()), 2, "agent_called");
        assertEquals("planner", called.agentId());
        assertFalse(called.attributes().containsKey("caller_agent"));
        assertEquals("asst_planner_01", attr(event(map(codeReviewRun()), 2, "task_completed"), "gen_ai.agent.id"));
    }

    @Test
    void eachEventHasAnIdempotencyKeyOfTraceSpanAndPhaseUniqueInTheRequest() {
        List<TraceEvent> events = Otlp.events(map(codeReviewRun()));
        Set<String> ids = new HashSet<>();
        for (TraceEvent e : events) {
            assertTrue(e.eventId().startsWith("otlp:" + TRACE + ":" + e.spanId() + ":"), e.eventId());
            assertTrue(ids.add(e.eventId()), "duplicate " + e.eventId());
        }
        assertEquals("otlp:" + TRACE + ":" + spanId(6) + ":llm", event(map(codeReviewRun()), 6, "llm_call").eventId());
    }

    @Test
    void theSameRequestMapsToByteIdenticalEvents() {
        List<String> first = Otlp.events(map(codeReviewRun())).stream().map(TraceEventJson::write).toList();
        List<String> second = Otlp.events(new OtlpSpanMapper(TraceIdMode.TRACE).map(codeReviewRun()))
                .stream().map(TraceEventJson::write).toList();
        assertEquals(first, second);
    }

    @Test
    void theStartEventsCarryOnlyDerivedAttributesAndTheEndEventTheSpansOwnToo() {
        MappedSpans mapped = map(codeReviewRun());
        TraceEvent called = event(mapped, 3, "agent_called");
        assertEquals(List.of("agent_source", "service.name", "span_name", "span_kind", "caller_agent"),
                List.copyOf(called.attributes().keySet()));
        TraceEvent end = event(mapped, 3, "task_completed");
        assertEquals(List.of("agent_source", "service.name", "span_name", "span_kind", "gen_ai.operation.name",
                "gen_ai.agent.name"), List.copyOf(end.attributes().keySet()));
    }

    /** The existing summarizer, fed the events in time order, sees the agents, the calls and the failure. */
    @Test
    void theSummarizerReadsTheMappedRun() {
        List<TraceEvent> events = Otlp.events(map(codeReviewRun())).stream()
                .sorted(Comparator.comparing(TraceEvent::timestamp)).toList();
        TraceSummarizer summarizer = new TraceSummarizer();
        for (int i = 0; i < events.size(); i++) {
            summarizer.apply(events.get(i).withId("1-" + i));
        }
        TraceSummary summary = summarizer.snapshot(Instant.parse("2026-01-01T00:01:00Z"));
        assertEquals(TraceStatus.COMPLETED, summary.status());
        List<String> agents = summary.agents().stream().map(AgentSummary::agentId).toList();
        assertTrue(agents.containsAll(List.of(SERVICE, "planner", "researcher", "coder", "tester")), agents.toString());
        AgentSummary researcher = summary.agents().stream().filter(a -> a.agentId().equals("researcher")).findFirst().orElseThrow();
        assertEquals(1, researcher.llmCalls());
        assertEquals(1, researcher.toolCalls());
        assertEquals(3_200L, summary.usage().total().inputTokens(), "input tokens of both model calls, once each");
        assertEquals(1_140L, summary.usage().total().outputTokens());
        assertEquals("run_tests", summary.failures().firstFailure().step().name());
        assertEquals(2, summary.failures().failedSteps());
    }
}
