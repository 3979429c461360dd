package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.FrameworkExports.edges;
import static io.tracestream.ingest.otlp.FrameworkExports.states;
import static io.tracestream.ingest.otlp.FrameworkExports.work;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.Failures.FirstFailure;
import io.tracestream.domain.summary.SequenceDiagram;
import io.tracestream.domain.summary.Step;
import io.tracestream.domain.summary.StepKind;
import io.tracestream.domain.summary.TraceSummary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What three real agent frameworks exported in a run each (recorded by AgentFrameworksIT's programs,
 * see {@link FrameworkExports}), replayed through the mapper and the summary: their agents by name,
 * their hand-offs as hand-offs, their failures with type, message and stack apart and their
 * plumbing folded, at the end and while the run is still arriving.
 */
class FrameworkSpansTest {

    // ---------------------------------------------------------------- LangGraph.js + OpenInference

    @Test
    void langGraphNodesAreAgentsAndCommandGotoIsAHandOff() {
        TraceSummary s = FrameworkExports.of("langgraph").receiveAll().summary();

        assertEquals(Map.of("langgraph-research", "done", "planner", "done", "researcher", "done", "writer", "done"), states(s));
        assertEquals(List.of("langgraph-research->planner call x1", "planner->researcher handoff x1",
                "researcher->writer handoff x1"), edges(s));
        assertEquals(List.of(840L, 210L), List.of(s.usage().total().inputTokens(), s.usage().total().outputTokens()));
        assertEquals(360L, s.usage().byAgent().get("researcher").inputTokens());
    }

    @Test
    void langGraphPlumbingIsFoldedSoTheRunIsItsAgentsModelCallsAndTools() {
        TraceSummary s = FrameworkExports.of("langgraph").receiveAll().summary();

        assertEquals(List.of(
                "task LangGraph langgraph-research",
                "task planner planner", "llm_call gpt-4o-mini planner", "tool_call make_plan planner", "llm_call gpt-4o-mini planner",
                "task researcher researcher", "llm_call gpt-4o-mini researcher", "tool_call web_search researcher",
                "llm_call gpt-4o-mini researcher", "tool_call fetch_page researcher", "llm_call gpt-4o-mini researcher",
                "task writer writer", "llm_call gpt-4o-mini writer", "tool_call format_report writer", "llm_call gpt-4o-mini writer"),
                work(s));
        Set<String> folded = s.steps().stream().filter(Step::isPlumbing).map(Step::name).collect(Collectors.toSet());
        assertEquals(Set.of("__start__", "agent", "tools", "RunnableSequence", "prompt", "RunnableLambda", "planner",
                "researcher", "writer"), folded, "each node's subgraph copy is folded too");
        assertEquals(1, s.agents().stream().filter(a -> a.agentId().equals("planner")).findFirst().orElseThrow().tasks());
        assertTrue(s.criticalPath().steps().stream().noneMatch(e -> e.name() != null && e.name().startsWith("Runnable")));
    }

    @Test
    void langGraphsParentCommandIsAHandOffNotAFailureAndTheToolsErrorKeepsItsStackApart() {
        TraceSummary s = FrameworkExports.of("langgraph").receiveAll().summary();

        assertEquals(1, s.failures().failedSteps(), "the hand-offs' ParentCommand is control flow");
        FirstFailure first = s.failures().firstFailure();
        assertEquals("fetch_page", first.step().name());
        assertEquals("researcher", first.step().agentId());
        assertEquals("Error", first.step().error().type());
        assertEquals("HTTP 503 Service Unavailable from https://example.org/solar", first.step().error().message());
        assertTrue(first.step().error().stacktrace().startsWith("Error: HTTP 503 Service Unavailable"));
        assertTrue(first.step().error().stacktrace().contains("\n    at "));
        assertEquals(List.of("langgraph-research LangGraph", "researcher researcher"),
                first.callerChain().stream().map(c -> c.agentId() + " " + c.name()).toList());
        String diagram = SequenceDiagram.render(s);
        assertFalse(diagram.contains("ParentCommand"), diagram);
    }

    @Test
    void langGraphAgentsWorkLiveBeforeTheirNodeSpansArrive() {
        FrameworkExports run = FrameworkExports.of("langgraph");
        // The first 16 exports hold the planner's inner work; its node span comes 18th (SDKs export a span when it ends).
        TraceSummary early = run.receive(4).summary();
        assertEquals("working", states(early).get("planner"));
        TraceSummary researching = run.receive(20).summary();
        assertEquals("working", states(researching).get("researcher"));
        assertEquals("idle", states(researching).get("planner"), "its node span arrived: done with its part");
        assertTrue(researching.steps().stream().filter(Step::placeholder).noneMatch(p -> "planner".equals(p.agentId())));
    }

    // ---------------------------------------------------------------- OpenAI Agents SDK (JS) + OpenInference

    @Test
    void openAiAgentsHandOffsAreHandOffsFromTheAgentThatHandedOff() {
        TraceSummary s = FrameworkExports.of("openai-agents").receiveAll().summary();

        assertEquals(List.of("Triage Agent->Weather Agent handoff x1", "Weather Agent->Booking Agent handoff x1",
                "openai-agents-travel->Triage Agent call x1"), edges(s));
        assertEquals(Map.of("Booking Agent", "done", "Triage Agent", "done", "Weather Agent", "done",
                "openai-agents-travel", "done"), states(s), "the run's root span is the workflow, not a fourth agent");
        assertTrue(work(s).stream().noneMatch(w -> w.contains("handoff")), "no hand-off is a tool call: " + work(s));
        assertEquals(0, s.agents().stream().filter(a -> a.agentId().equals("Triage Agent")).findFirst().orElseThrow().toolCalls());
        assertEquals(List.of(720L, 180L), List.of(s.usage().total().inputTokens(), s.usage().total().outputTokens()));
        String diagram = SequenceDiagram.render(s);
        assertTrue(diagram.contains("a2-)a3: hand-off"), diagram);
        assertTrue(diagram.contains("a3-)a4: hand-off"), diagram);
    }

    @Test
    void openAiAgentsTurnsAndTaskAreFoldedAndTheToolFailureReadsAsTheSdkSaysIt() {
        TraceSummary s = FrameworkExports.of("openai-agents").receiveAll().summary();

        assertEquals(List.of("task Travel booking openai-agents-travel",
                "task Triage Agent Triage Agent", "llm_call gpt-4o-mini Triage Agent",
                "task Weather Agent Weather Agent", "llm_call gpt-4o-mini Weather Agent", "tool_call get_weather Weather Agent",
                "llm_call gpt-4o-mini Weather Agent",
                "task Booking Agent Booking Agent", "llm_call gpt-4o-mini Booking Agent", "tool_call find_hotels Booking Agent",
                "llm_call gpt-4o-mini Booking Agent", "tool_call book_hotel Booking Agent", "llm_call gpt-4o-mini Booking Agent"),
                work(s));
        FirstFailure first = s.failures().firstFailure();
        assertEquals(1, s.failures().failedSteps());
        assertEquals("book_hotel", first.step().name());
        assertEquals("Error running tool (non-fatal)", first.step().error().type());
        assertEquals("Tool execution failed. Error details are redacted.", first.step().error().message());
        assertEquals(List.of("openai-agents-travel Travel booking", "Booking Agent Booking Agent"),
                first.callerChain().stream().map(c -> c.agentId() + " " + c.name()).toList());
    }

    @Test
    void openAiAgentsWorkIsTheReceivingAgentsAsSoonAsTheHandOffIsKnown() {
        FrameworkExports run = FrameworkExports.of("openai-agents");
        // Export 4 is the hand-off to the Weather Agent; 5 is that agent's first model call, whose agent span comes 11th.
        TraceSummary s = run.receive(5).summary();
        assertEquals("working", states(s).get("Weather Agent"));
        Step call = s.steps().stream().filter(st -> st.kind() == StepKind.LLM_CALL).reduce((a, b) -> b).orElseThrow();
        assertEquals("Weather Agent", call.agentId(), "not the service standing in");
        assertEquals(List.of("Weather Agent"), s.steps().stream().filter(Step::placeholder).map(Step::agentId)
                .filter(a -> a != null).toList());
        assertFalse(states(s).containsKey("openai-agents-travel"));
    }

    // ---------------------------------------------------------------- Mastra (@mastra/otel-exporter)

    @Test
    void mastraSubAgentsAreCallsAndItsModelLoopIsFolded() {
        TraceSummary s = FrameworkExports.of("mastra").receiveAll().summary();

        assertEquals(List.of("Coordinator->Researcher call x1", "Coordinator->Writer call x1"), edges(s));
        assertEquals(14, work(s).size(), "3 agents, 7 model calls, 4 tools: " + work(s));
        assertTrue(s.steps().stream().filter(st -> "model_chunk".equals(st.plumbing())).count() >= 10);
        assertEquals(1, s.agents().stream().filter(a -> a.agentId().equals("Coordinator")).findFirst().orElseThrow().tasks());
        FirstFailure first = s.failures().firstFailure();
        assertEquals("check_style", first.step().name());
        assertEquals("Writer", first.step().agentId());
        assertEquals(List.of("Coordinator invoke_agent Coordinator", "Coordinator agent-writer", "Writer invoke_agent Writer"),
                first.callerChain().stream().map(c -> c.agentId() + " " + c.name()).toList());
    }

    @Test
    void mastrasModelCallEndsWithItsAnswerNotAfterTheSubAgentItAskedFor() {
        FrameworkExports run = FrameworkExports.of("mastra").receiveAll();
        TraceSummary s = run.summary();
        TraceEvent coordinatorsFirstCall = run.events().stream()
                .filter(e -> e.eventType().equals("llm_call") && e.spanId().equals("92d7b0c40ece370c")).findFirst().orElseThrow();
        Step step = s.steps().stream().filter(st -> "92d7b0c40ece370c".equals(st.spanId())).findFirst().orElseThrow();

        assertEquals(2718L, coordinatorsFirstCall.durationMs(), "its span also covers the sub-agent it asked for");
        assertEquals(364L, step.durationMs(), "the model had answered when its last piece of answer ended");
        assertTrue(s.criticalPath().steps().stream().anyMatch(e -> "Researcher".equals(e.agentId())),
                "the sub-agent is on the critical path, not the model that asked for it");
    }

    @Test
    void mastrasWorkIsItsAgentsLiveThroughItsRunId() {
        FrameworkExports run = FrameworkExports.of("mastra");
        // Export 19 is the Writer's failing tool, which names no agent; the Writer's agent span comes 26th.
        TraceSummary s = run.receive(19).summary();
        Step failed = s.steps().stream().filter(st -> "check_style".equals(st.name())).findFirst().orElseThrow();
        assertEquals("Writer", failed.agentId());
        assertEquals("working", states(s).get("Writer"));
        assertNull(states(s).get("mastra-travel-desk"), "the service never stands in as an agent");
        assertNotNull(s.failures().firstFailure());
    }

    // ---------------------------------------------------------------- Google ADK (Java)

    @Test
    void adkTransfersAreHandOffsAndItsModelCallsNameTheirAgents() {
        TraceSummary s = FrameworkExports.of("adk").receiveAll().summary();

        assertEquals(List.of("adk-travel->coordinator call x1", "coordinator->weather_agent handoff x1",
                "weather_agent->booking_agent handoff x1"), edges(s));
        assertEquals(Map.of("adk-travel", "done", "booking_agent", "done", "coordinator", "done", "weather_agent", "done"),
                states(s), "the run's root (invocation) is the service's, not a fourth agent's");
        assertTrue(work(s).stream().noneMatch(w -> w.contains("transfer_to_agent")), work(s).toString());
        assertEquals(List.of(720L, 180L), List.of(s.usage().total().inputTokens(), s.usage().total().outputTokens()));
        assertEquals(2, s.usage().byAgent().get("weather_agent").inputTokens() / 120);
    }

    @Test
    void adkToolThatAnsweredStatusErrorIsAFailedCall() {
        TraceSummary s = FrameworkExports.of("adk").receiveAll().summary();

        assertEquals(1, s.failures().failedSteps());
        FirstFailure first = s.failures().firstFailure();
        assertEquals("book_hotel", first.step().name());
        assertEquals("booking_agent", first.step().agentId());
        assertEquals("An internal error occurred.", first.step().error().message());
        assertEquals(List.of("adk-travel", "coordinator", "weather_agent", "booking_agent", "booking_agent"),
                first.callerChain().stream().map(c -> c.agentId()).toList(), "ADK hangs a tool under its model call");
    }

    @Test
    void adkModelCallThatHandedOffEndsWhenItAnsweredNotWhenTheNextAgentFinished() {
        FrameworkExports run = FrameworkExports.of("adk").receiveAll();
        TraceSummary s = run.summary();
        List<Step> handingOff = s.steps().stream().filter(st -> st.kind() == StepKind.LLM_CALL)
                .filter(st -> run.events().stream().anyMatch(e -> e.eventType().equals("agent_transition")
                        && st.spanId().equals(e.parentSpanId()))).toList();

        assertEquals(2, handingOff.size());
        for (Step call : handingOff) {
            TraceEvent reported = run.events().stream().filter(e -> call.spanId().equals(e.spanId())).findFirst().orElseThrow();
            assertTrue(call.durationMs() < reported.durationMs() / 2,
                    call.durationMs() + " ms of " + reported.durationMs() + " ms: the span also covers the agent it handed off to");
        }
    }
}
