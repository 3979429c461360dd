package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSummarizerTest {

    private static final EventError MISSING_PRICES =
            new EventError("DataUnavailableError", "No price data for AAPL before 2015-01-02 (provider: polygon)");

    @Test
    void completedWorkflowHasItsStatusTimesAndEventCounts() {
        TraceSummary s = CodeAnalysisFixture.summary();

        assertEquals(CodeAnalysisFixture.TRACE_ID, s.traceId());
        assertEquals(TraceStatus.COMPLETED, s.status());
        assertEquals(CodeAnalysisFixture.STARTED_AT, s.startedAt());
        assertEquals(CodeAnalysisFixture.ENDED_AT, s.endedAt());
        assertEquals(CodeAnalysisFixture.ENDED_AT, s.lastEventAt());
        assertEquals(90_000, s.durationMs());
        assertEquals(35, s.eventCount());
        assertEquals("35-0", s.lastEventId());
        assertEquals(Map.of("agent_called", 5L, "agent_transition", 1L, "llm_call", 7L, "message", 2L,
                "task_completed", 6L, "task_failed", 1L, "task_started", 7L, "tool_call", 4L,
                "workflow_completed", 1L, "workflow_started", 1L), s.eventCounts());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void everyAgentIsDoneWithItsCallsBusyTimeAndLastError() {
        List<String> agents = CodeAnalysisFixture.summary().agents().stream()
                .map(a -> a.agentId() + " " + a.state().wireName() + " called=" + a.timesCalled() + " tasks=" + a.tasks()
                        + " llm=" + a.llmCalls() + " tools=" + a.toolCalls() + " busy=" + a.busyMs()
                        + " last=" + a.lastEventType() + "@" + a.lastEventAt()
                        + " error=" + (a.lastError() == null ? "-" : a.lastError().type()))
                .toList();

        assertEquals(List.of(
                "code_analyzer done called=0 tasks=1 llm=1 tools=0 busy=89780 last=workflow_completed@2025-01-20T10:32:15Z error=-",
                "planner done called=1 tasks=1 llm=2 tools=0 busy=68450 last=task_completed@2025-01-20T10:31:56.100Z error=-",
                "code_reader done called=1 tasks=1 llm=1 tools=1 busy=10450 last=message@2025-01-20T10:31:04Z error=-",
                "strategy_writer done called=1 tasks=1 llm=1 tools=0 busy=23340 last=message@2025-01-20T10:31:16.600Z error=-",
                "backtester done called=2 tasks=2 llm=1 tools=3 busy=56180 last=task_completed@2025-01-20T10:31:49.700Z error=DataUnavailableError",
                "report_writer done called=1 tasks=1 llm=1 tools=0 busy=18200 last=task_completed@2025-01-20T10:32:14.600Z error=-"),
                agents);
    }

    @Test
    void tasksAndCallsArePairedIntoStepsWithParentsDurationsAndOutcomes() {
        assertEquals(List.of(
                "0 task analyze-repository code_analyzer parent=- 89780ms completed",
                "1 llm_call gpt-4o code_analyzer parent=0 2210ms completed",
                "2 task plan-analysis planner parent=0 68450ms completed",
                "3 llm_call claude-3-5-sonnet planner parent=2 5150ms completed",
                "4 task read-code code_reader parent=2 10450ms completed",
                "5 task write-strategy strategy_writer parent=2 23340ms completed",
                "6 task run-backtest backtester parent=2 2930ms failed",
                "7 tool_call read_file code_reader parent=4 1180ms completed",
                "8 tool_call load_prices backtester parent=6 2750ms failed",
                "9 task run-backtest backtester parent=2 53250ms completed",
                "10 tool_call load_prices backtester parent=9 3050ms completed",
                "11 llm_call gpt-4o-mini code_reader parent=4 8600ms completed",
                "12 llm_call claude-3-5-sonnet strategy_writer parent=5 11800ms completed",
                "13 tool_call run_backtest backtester parent=9 43400ms completed",
                "14 llm_call gpt-4o backtester parent=9 6150ms completed",
                "15 llm_call claude-3-5-sonnet planner parent=2 6100ms completed",
                "16 task write-report report_writer parent=0 18200ms completed",
                "17 llm_call gpt-4o report_writer parent=16 17300ms completed"),
                describe(CodeAnalysisFixture.summary().steps()));
    }

    @Test
    void llmAndToolCallsEndAtTheirTimestampAndStartDurationBefore() {
        Step scopeCall = CodeAnalysisFixture.summary().steps().get(1);

        assertEquals(Instant.parse("2025-01-20T10:30:47.450Z"), scopeCall.endedAt());
        assertEquals(Instant.parse("2025-01-20T10:30:45.240Z"), scopeCall.startedAt());
    }

    @Test
    void failedWorkerIsFirstFailureWithItsCallerChain() {
        Failures failures = CodeAnalysisFixture.summary().failures();

        assertEquals(2, failures.failedSteps());
        assertNull(failures.workflowError());
        Step first = failures.firstFailure().step();
        assertEquals("8 tool_call load_prices backtester parent=6 2750ms failed", describe(List.of(first)).get(0));
        assertEquals(Instant.parse("2025-01-20T10:30:55.900Z"), first.endedAt());
        assertEquals(MISSING_PRICES, first.error());
        assertEquals(List.of("code_analyzer/analyze-repository", "planner/plan-analysis", "backtester/run-backtest"),
                failures.firstFailure().callerChain().stream().map(c -> c.agentId() + "/" + c.name()).toList());
    }

    @Test
    void dependencyGraphShowsTheThreeAgentChainAndCountsTheRetryAsASecondCall() {
        DependencyGraph graph = CodeAnalysisFixture.summary().graph();

        assertEquals(3, graph.depth());
        assertEquals(List.of(
                new DependencyGraph.Node("code_analyzer", 1), new DependencyGraph.Node("planner", 2),
                new DependencyGraph.Node("code_reader", 3), new DependencyGraph.Node("strategy_writer", 3),
                new DependencyGraph.Node("backtester", 3), new DependencyGraph.Node("report_writer", 2)),
                graph.nodes());
        assertEquals(List.of(
                new DependencyGraph.Edge("code_analyzer", "planner", DependencyGraph.EdgeKind.CALL, 1),
                new DependencyGraph.Edge("planner", "code_reader", DependencyGraph.EdgeKind.CALL, 1),
                new DependencyGraph.Edge("planner", "strategy_writer", DependencyGraph.EdgeKind.CALL, 1),
                new DependencyGraph.Edge("planner", "backtester", DependencyGraph.EdgeKind.CALL, 2),
                new DependencyGraph.Edge("code_analyzer", "report_writer", DependencyGraph.EdgeKind.HANDOFF, 1)),
                graph.edges());
    }

    @Test
    void runningTraceTicksWithNowAndShowsWorkingAndFailedAgents() {
        // The first 15 events: up to the backtester's failed first attempt, before the retry.
        List<TraceEvent> events = CodeAnalysisFixture.events().subList(0, 15);
        Instant lastEvent = Instant.parse("2025-01-20T10:30:56Z");
        TraceSummary s = CodeAnalysisFixture.summarizerOf(events, CodeAnalysisFixture.PRICES)
                .snapshot(lastEvent.plusSeconds(30));

        assertEquals(TraceStatus.RUNNING, s.status());
        assertNull(s.endedAt());
        assertEquals(41_000, s.durationMs());
        Step analyze = s.steps().get(0);
        assertEquals(StepOutcome.OPEN, analyze.outcome());
        assertNull(analyze.endedAt());
        assertEquals(40_880, analyze.durationMs());
        assertEquals(List.of("code_analyzer working", "planner working", "code_reader working",
                        "strategy_writer working", "backtester failed"),
                s.agents().stream().map(a -> a.agentId() + " " + a.state().wireName()).toList());
    }

    @Test
    void runningTraceIsStalledOnceNothingArrivedForTheStallDuration() {
        List<TraceEvent> events = CodeAnalysisFixture.events().subList(0, 15);
        Instant lastEvent = Instant.parse("2025-01-20T10:30:56Z");
        TraceSummarizer summarizer = CodeAnalysisFixture.summarizerOf(events, CodeAnalysisFixture.PRICES);

        Instant stallPoint = lastEvent.plus(TraceSummarizer.DEFAULT_STALL_AFTER);
        assertEquals(TraceStatus.RUNNING, summarizer.snapshot(stallPoint.minusMillis(1)).status());
        assertEquals(TraceStatus.STALLED, summarizer.snapshot(stallPoint).status());
    }

    @Test
    void stallDurationIsConfigurable() {
        TraceSummarizer summarizer = new TraceSummarizer(PriceTable.empty(), Duration.ofSeconds(10));
        summarizer.apply(at(0, "workflow_started", "a").build());

        assertEquals(TraceStatus.RUNNING, summarizer.snapshot(second(9.999)).status());
        assertEquals(TraceStatus.STALLED, summarizer.snapshot(second(10)).status());
    }

    @Test
    void endedTraceIsNeverStalledAndIgnoresNow() {
        TraceSummary s = CodeAnalysisFixture.summary();
        TraceSummary sameLater = CodeAnalysisFixture.summarizerOf(CodeAnalysisFixture.events(), CodeAnalysisFixture.PRICES)
                .snapshot(CodeAnalysisFixture.MUCH_LATER.plus(Duration.ofDays(300)));

        assertEquals(TraceSummaryJson.write(s), TraceSummaryJson.write(sameLater));
    }

    @Test
    void sameEventsGiveTheSameSummary() {
        assertEquals(TraceSummaryJson.write(CodeAnalysisFixture.summary()),
                TraceSummaryJson.write(CodeAnalysisFixture.summary()));
    }

    @Test
    void failedWorkflowFailsTheTraceAndTheAgentsItInterrupted() {
        TraceSummary s = TestEvent.summarize(second(100),
                at(0, "workflow_started", "boss").build(),
                at(1, "task_started", "boss").span("b").build(),
                at(2, "task_started", "worker").span("w").parent("b").build(),
                at(5, "workflow_failed", "boss").error("Timeout", "gave up after 3 s").build());

        assertEquals(TraceStatus.FAILED, s.status());
        assertEquals(5_000, s.durationMs());
        assertEquals(new EventError("Timeout", "gave up after 3 s"), s.failures().workflowError());
        assertEquals(List.of("boss failed", "worker failed"),
                s.agents().stream().map(a -> a.agentId() + " " + a.state().wireName()).toList());
        assertEquals(List.of("0 task b boss parent=- 4000ms open", "1 task w worker parent=0 3000ms open"),
                describe(s.steps()));
    }

    @Test
    void completionWithoutStartBecomesAStepStartingDurationBeforeIt() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(5, "task_completed", "a").task("t1").durationMs(1500).build());

        Step step = s.steps().get(0);
        assertEquals(second(3.5), step.startedAt());
        assertEquals(1500, step.durationMs());
        assertTrue(step.startInferred());
        assertEquals(1, s.warnings().size());
    }

    @Test
    void traceBeganWhenItsEarliestCallBeganEvenIfOnlyTheCallsEndWasReported() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(5, "tool_call", "a").durationMs(3000).build());

        assertEquals(second(2), s.startedAt());
        assertEquals(8_000, s.durationMs());
    }

    @Test
    void duplicateStartKeepsTheFirstAndDuplicateEndIsIgnored() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "task_started", "a").span("s1").build(),
                at(2, "task_started", "a").span("s1").build(),
                at(4, "task_completed", "a").span("s1").build(),
                at(5, "task_failed", "a").span("s1").error("Late", "too late").build());

        assertEquals(List.of("0 task s1 a parent=- 3000ms completed"), describe(s.steps()));
        assertEquals(0, s.failures().failedSteps());
        assertEquals(2, s.warnings().size());
    }

    @Test
    void retryReusingItsTaskIdIsASecondStep() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "task_started", "a").task("t").build(),
                at(2, "task_failed", "a").task("t").error("Flaky", "try again").build(),
                at(3, "task_started", "a").task("t").build(),
                at(4, "task_completed", "a").task("t").build());

        assertEquals(List.of("0 task t a parent=- 1000ms failed", "1 task t a parent=- 1000ms completed"),
                describe(s.steps()));
        assertEquals(AgentState.IDLE, s.agents().get(0).state());
    }

    @Test
    void eventsThatCannotBePairedOrAreUnknownAreOnlyCounted() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "task_started", "a").build(),
                at(2, "custom_thing", "a").build(),
                at(3, "task_completed", "a").build());

        assertEquals(List.of(), s.steps());
        assertEquals(Map.of("custom_thing", 1L, "task_completed", 1L, "task_started", 1L), s.eventCounts());
        assertEquals(3, s.eventCount());
    }

    @Test
    void eventsOutOfTimeOrderStillGiveEarliestStartAndLatestActivity() {
        TraceSummary s = TestEvent.summarize(second(60),
                at(5, "task_started", "a").span("s").build(),
                at(2, "message", "a").attribute("content", "written earlier").build());

        assertEquals(second(2), s.startedAt());
        assertEquals(second(5), s.lastEventAt());
    }

    @Test
    void parentReportedAfterItsChildIsStillLinked() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(2, "tool_call", "a").span("c").parent("p").durationMs(500).build(),
                at(3, "task_started", "a").span("p").build());

        assertEquals(Integer.valueOf(1), s.steps().get(0).parentIndex());
    }

    @Test
    void cyclicParentsNeitherLoopNorThrow() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "tool_call", "a").span("x").parent("y").durationMs(100).status("failed").build(),
                at(2, "tool_call", "a").span("y").parent("x").durationMs(100).build());

        assertEquals(1, s.failures().failedSteps());
        assertEquals(1, s.failures().firstFailure().callerChain().size());
    }

    @Test
    void callWithoutParentBelongsToItsAgentsInnermostOpenTask() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "task_started", "a").span("outer").build(),
                at(2, "task_started", "a").span("inner").parent("outer").build(),
                at(3, "llm_call", "a").model("m").durationMs(500).build());

        assertEquals(Integer.valueOf(1), s.steps().get(2).parentIndex());
    }

    @Test
    void callerComesFromAttributeOrParentSpanAndHandOffFromToAgent() {
        TraceSummary s = TestEvent.summarize(second(10),
                at(1, "agent_called", "worker").attribute(TraceSummarizer.ATTR_CALLER, "boss").build(),
                at(2, "task_started", "boss").span("b").build(),
                at(3, "agent_called", "helper").parent("b").build(),
                at(4, "agent_transition", "boss").attribute(TraceSummarizer.ATTR_TO, "closer").build(),
                at(5, "agent_transition", "finisher").attribute(TraceSummarizer.ATTR_FROM, "closer").build());

        assertEquals(List.of("boss->worker call x1", "boss->helper call x1", "boss->closer handoff x1",
                        "closer->finisher handoff x1"),
                s.graph().edges().stream()
                        .map(e -> e.from() + "->" + e.to() + " " + e.kind().wireName() + " x" + e.count()).toList());
    }

    static List<String> describe(List<Step> steps) {
        return steps.stream().map(s -> s.index() + " " + s.kind().wireName() + " " + s.name() + " " + s.agentId()
                + " parent=" + (s.parentIndex() == null ? "-" : s.parentIndex()) + " " + s.durationMs() + "ms "
                + s.outcome().wireName()).toList();
    }
}
