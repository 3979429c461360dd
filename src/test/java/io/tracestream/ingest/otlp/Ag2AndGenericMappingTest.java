package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.dbl;
import static io.tracestream.ingest.otlp.Otlp.event;
import static io.tracestream.ingest.otlp.Otlp.map;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.ofSpan;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.DependencyGraph;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * AG2's spans (its conversation, agent, LLM and tool spans, and a hand-off between two agents),
 * and spans that follow no AI convention at all.
 */
class Ag2AndGenericMappingTest {

    /**
     * AG2 declares {@code ag2.span.type = handoff} without attributes for the agents yet (its own
     * convention table marks hand-offs TODO); AgentOps' AG2 instrumentation emits {@code ag2.handoff}
     * spans with {@code from_agent} / {@code to_agent}. Both are read.
     */
    static ExportTraceServiceRequest supportDesk() {
        Span.Builder conversation = span("conversation user_proxy", 1, 0, 0, 9_000)
                .addAttributes(str("ag2.span.type", "conversation"))
                .addAttributes(str("gen_ai.operation.name", "conversation"))
                .addAttributes(str("gen_ai.agent.name", "user_proxy"))
                .addAttributes(num("gen_ai.conversation.max_turns", 6))
                // Sums over the whole chat: must not count a second time.
                .addAttributes(dbl("gen_ai.usage.cost", 0.0042))
                .addAttributes(num("gen_ai.usage.input_tokens", 1_500))
                .addAttributes(num("gen_ai.usage.output_tokens", 300));
        Span.Builder triage = span("invoke_agent triage", 2, 1, 100, 3_000)
                .addAttributes(str("ag2.span.type", "agent"))
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "triage"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"));
        Span.Builder triageChat = span("chat gpt-4o", 3, 2, 200, 2_500)
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(str("ag2.span.type", "llm"))
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.provider.name", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(str("gen_ai.agent.name", "triage"))
                .addAttributes(num("gen_ai.usage.input_tokens", 900))
                .addAttributes(num("gen_ai.usage.output_tokens", 120))
                .addAttributes(dbl("gen_ai.usage.cost", 0.0021));
        Span.Builder handoff = span("handoff", 4, 2, 2_600, 2_610)
                .addAttributes(str("ag2.span.type", "handoff"))
                .addAttributes(str("gen_ai.operation.name", "handoff"))
                .addAttributes(str("to_agent", "billing"));
        Span.Builder billing = span("invoke_agent billing", 5, 1, 3_100, 8_900)
                .addAttributes(str("ag2.span.type", "agent"))
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "billing"));
        Span.Builder refund = span("execute_tool issue_refund", 6, 5, 3_200, 3_900)
                .addAttributes(str("ag2.span.type", "tool"))
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", "issue_refund"))
                .addAttributes(str("gen_ai.tool.call.id", "call_9"));
        Span.Builder agentOpsHandoff = span("ag2.handoff", 7, 5, 8_000, 8_001)
                .addAttributes(str("from_agent", "billing"))
                .addAttributes(str("to_agent", "user_proxy"))
                .addAttributes(str("agent.name", "user_proxy"));
        Span.Builder nowhere = span("handoff", 8, 5, 8_100, 8_101)
                .addAttributes(str("ag2.span.type", "handoff"));
        return Otlp.request("support-desk", triageChat, handoff, triage, refund, agentOpsHandoff, nowhere, billing, conversation);
    }

    @Test
    void anAg2HandoffIsAnAgentTransitionFromTheAgentAboveItToTheNamedAgent() {
        MappedSpans mapped = map(supportDesk());
        assertEquals(List.of("agent_transition"), types(ofSpan(mapped, 4)));
        TraceEvent handoff = event(mapped, 4, "agent_transition");
        assertEquals("triage", handoff.agentId());
        assertEquals("ancestor", attr(handoff, "agent_source"));
        assertEquals("triage", attr(handoff, "from_agent"));
        assertEquals("billing", attr(handoff, "to_agent"));
        assertEquals(Instant.parse("2026-01-01T00:00:02.600Z"), handoff.timestamp());
    }

    @Test
    void anAgentOpsStyleHandoffNamesBothAgents() {
        TraceEvent handoff = event(map(supportDesk()), 7, "agent_transition");
        assertEquals("billing", handoff.agentId());
        assertEquals("span", attr(handoff, "agent_source"));
        assertEquals("user_proxy", attr(handoff, "to_agent"));
    }

    @Test
    void aHandoffNamingNoTargetIsKeptAsAStep() {
        assertEquals(List.of("task_started", "task_completed"), types(ofSpan(map(supportDesk()), 8)));
    }

    @Test
    void theConversationSpanIsItsInitiatorAtWorkAndItsSummedUsageIsNotCountedAgain() {
        MappedSpans mapped = map(supportDesk());
        List<TraceEvent> conversation = ofSpan(mapped, 1);
        assertEquals(List.of("workflow_started", "agent_called", "task_started", "task_completed", "workflow_completed"),
                types(conversation));
        assertTrue(conversation.stream().allMatch(e -> e.inputTokens() == null && e.costUsd() == null && e.model() == null));
        assertEquals(new BigDecimal("0.0042"), attr(conversation.get(3), "gen_ai.usage.cost"), "kept as an attribute");
        assertEquals("user_proxy", attr(event(mapped, 5, "agent_called"), "caller_agent"));
        assertEquals("user_proxy", attr(event(mapped, 2, "agent_called"), "caller_agent"));
    }

    @Test
    void anAg2LlmSpanReportsItsCost() {
        TraceEvent llm = event(map(supportDesk()), 3, "llm_call");
        assertEquals("triage", llm.agentId());
        assertEquals("span", attr(llm, "agent_source"));
        assertEquals(new BigDecimal("0.0021"), llm.costUsd());
        assertEquals(900L, llm.inputTokens());
        assertEquals("gpt-4o", llm.model());
    }

    @Test
    void theAgentSpansRequestModelDoesNotMakeItAModelCall() {
        MappedSpans mapped = map(supportDesk());
        assertEquals(List.of("agent_called", "task_started", "task_completed"), types(ofSpan(mapped, 2)));
        assertNull(event(mapped, 2, "task_completed").model());
    }

    @Test
    void theSummarizerDrawsTheHandoffsAndCountsCostOnce() {
        List<TraceEvent> events = Otlp.events(map(supportDesk())).stream()
                .sorted(Comparator.comparing(TraceEvent::timestamp)).toList();
        TraceSummarizer summarizer = new TraceSummarizer();
        for (int i = 0; i < events.size(); i++) {
            summarizer.apply(events.get(i).withId("1-" + i));
        }
        TraceSummary summary = summarizer.snapshot(Instant.parse("2026-01-01T00:01:00Z"));
        assertTrue(summary.graph().edges().stream().anyMatch(e -> e.from().equals("triage") && e.to().equals("billing")
                && e.kind() == DependencyGraph.EdgeKind.HANDOFF), summary.graph().edges().toString());
        assertEquals(new BigDecimal("0.0021"), summary.usage().total().knownCostUsd());
        assertEquals(900L, summary.usage().total().inputTokens());
    }

    @Test
    void aSpanOfNoAiConventionIsAGenericStepWithItsNameKindAndStatus() {
        Span.Builder server = span("POST /api/answer", 1, 0, 0, 2_000).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .addAttributes(str("http.request.method", "POST"))
                .addAttributes(num("http.response.status_code", 500))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("upstream timed out"));
        Span.Builder db = span("SELECT answers", 2, 1, 100, 300).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .addAttributes(str("db.system", "postgresql"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
        Span.Builder plan = span("plan", 3, 1, 400, 500).addAttributes(str("gen_ai.operation.name", "plan"));
        MappedSpans mapped = map(Otlp.request("api-gateway", db, plan, server));
        List<TraceEvent> root = ofSpan(mapped, 1);
        assertEquals(List.of("workflow_started", "task_started", "task_failed", "workflow_failed"), types(root));
        assertEquals(new TraceEvent.EventError(null, "upstream timed out"), root.get(2).error());
        assertEquals(new TraceEvent.EventError(null, "upstream timed out"), root.get(3).error());
        assertEquals("server", attr(root.get(1), "span_kind"));
        assertEquals("POST /api/answer", attr(root.get(1), "span_name"));
        assertEquals(new BigDecimal(500), attr(root.get(2), "http.response.status_code"));
        TraceEvent dbEnd = event(mapped, 2, "task_completed");
        assertEquals("ok", dbEnd.status());
        assertEquals("client", attr(dbEnd, "span_kind"));
        assertEquals("SELECT answers", dbEnd.taskId());
        assertEquals(200L, dbEnd.durationMs());
        assertEquals("api-gateway", dbEnd.agentId());
        assertEquals(List.of("task_started", "task_completed"), types(ofSpan(mapped, 3)));
    }

    @Test
    void aSpanNameTooLongForATaskNameIsKeptAsTheSpanNameOnly() {
        String statement = "SELECT " + "column_name, ".repeat(40) + "id FROM answers";
        TraceEvent end = event(map(Otlp.request("svc", span(statement, 2, 1, 0, 5))), 2, "task_completed");
        assertNull(end.taskId());
        assertEquals(statement, attr(end, "span_name"));
    }

    @Test
    void aFailedSpanWithNothingToSayStillSaysItFailed() {
        TraceEvent end = event(map(Otlp.request("svc", span("work", 2, 1, 0, 5)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))), 2, "task_failed");
        assertEquals(new TraceEvent.EventError(null, "span ended with status ERROR"), end.error());
    }

    @Test
    void anInvokeWorkflowSpanBelowTheRootAlsoStartsAndEndsAWorkflow() {
        MappedSpans mapped = map(Otlp.request("svc", span("invoke_workflow nightly", 2, 1, 10, 50)));
        assertEquals(List.of("workflow_started", "task_started", "task_completed", "workflow_completed"), types(ofSpan(mapped, 2)));
    }

    @Test
    void spanNamesDecideWhenNoAttributeDoes() {
        MappedSpans mapped = map(Otlp.request("svc",
                span("invoke_agent scout", 2, 1, 10, 90),
                span("execute_tool grep", 3, 2, 20, 30),
                span("text_completion llama-3-8b", 4, 2, 40, 50),
                span("call_llm", 5, 2, 60, 70).addAttributes(str("gen_ai.request.model", "gemini-2.0-flash")),
                span("unknown op", 6, 2, 71, 72).addAttributes(str("gen_ai.operation.name", "meditate"))));
        assertEquals("scout", event(mapped, 2, "agent_called").agentId());
        assertEquals("grep", attr(event(mapped, 3, "tool_call"), "tool"));
        assertEquals("scout", event(mapped, 3, "tool_call").agentId());
        assertEquals("llama-3-8b", event(mapped, 4, "llm_call").model());
        assertEquals("gemini-2.0-flash", event(mapped, 5, "llm_call").model());
        assertEquals(List.of("task_started", "task_completed"), types(ofSpan(mapped, 6)));
    }
}
