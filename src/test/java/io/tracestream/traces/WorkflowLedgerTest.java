package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.EventCost;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.ops.WorkflowMetrics;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.WorkflowActivity;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.store.memory.MemoryEventStoreTest.ManualClock;
import io.tracestream.testing.ProducerEvent;
import io.tracestream.testing.UnitConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The workflows as a whole: the ledger hears every event once (the store's once-per-event share),
 * keeps the store's record of running workflows and of each agent's latest event, and tells the
 * workflow metrics about each workflow, task, tool and LLM event. On the real in-memory store
 * (live events handed on by the appending thread) and metrics that record what they are told.
 */
class WorkflowLedgerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ManualClock clock = new ManualClock();
    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), clock);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final WorkflowLedger ledger = new WorkflowLedger();

    private void start(WorkflowActivity activity) {
        ledger.store = store;
        ledger.activity = activity;
        ledger.metrics = metrics;
        ledger.config = UnitConfig.SUMMARIES;
        ledger.init();
    }

    @AfterEach
    void stop() {
        ledger.stop();
    }

    private void append(ProducerEvent... events) {
        store.append("t", ProducerEvent.batch(events));
    }

    @Test
    void aStartedWorkflowRunsUntilItsEndWhichIsTimedFromItsStart() {
        start(store.workflowActivity());
        append(ProducerEvent.of("t", "workflow_started", "planner").at(T0));
        assertEquals(List.of("agent seen planner", "workflow started"), metrics.told);
        assertEquals(List.of("t"), store.workflowActivity().running().stream().map(WorkflowActivity.Running::traceId).toList());
        assertEquals(T0.toEpochMilli(), store.workflowActivity().running().get(0).startedMillis(), "the producer's start time");

        metrics.told.clear();
        append(ProducerEvent.of("t", "workflow_completed", "planner").at(T0.plusSeconds(90)));
        assertEquals(List.of("agent seen planner", "workflow ended completed=true PT1M30S"), metrics.told);
        assertEquals(List.of(), store.workflowActivity().running());
    }

    @Test
    void anEndWhoseStartWasNotSeenIsCountedWithoutADuration() {
        start(store.workflowActivity());
        append(ProducerEvent.of("t", "workflow_failed", "planner").at(T0));
        assertEquals(List.of("agent seen planner", "workflow ended completed=false null"), metrics.told);
    }

    @Test
    void anEndStampedBeforeItsStartLastsNothing() {
        start(store.workflowActivity());
        append(ProducerEvent.of("t", "workflow_started", "planner").at(T0),
                ProducerEvent.of("t", "workflow_completed", "planner").at(T0.minusSeconds(5))); // a skewed clock
        assertTrue(metrics.told.contains("workflow ended completed=true PT0S"), metrics.told.toString());
    }

    @Test
    void tasksToolsAndModelCallsReachTheMetricsWithTheirAgentDurationAndUsage() {
        start(store.workflowActivity());
        append(ProducerEvent.of("t", "task_completed", "coder").task("t1").durationMs(120),
                ProducerEvent.of("t", "task_failed", "coder").task("t2").durationMs(30).error("Timeout", "slow"),
                ProducerEvent.of("t", "tool_call", "coder").durationMs(5),
                ProducerEvent.of("t", "llm_call", "writer").durationMs(800).model("acme-1").tokens(100, 20).cost("0.25"),
                ProducerEvent.of("t", "agent_called", "reviewer"),
                ProducerEvent.of("t", "message", "reviewer"));
        assertEquals(List.of(
                "agent seen coder", "task ended coder failed=false 120",
                "agent seen coder", "task ended coder failed=true 30",
                "agent seen coder", "tool call coder 5",
                "agent seen writer", "llm call writer 800 acme-1 100/20 0.25",
                "agent seen reviewer", "agent seen reviewer"), metrics.told);
    }

    @Test
    void aModelCallsCostIsTheReportedOneElseThePriceTablesElseUnknown() {
        start(store.workflowActivity());
        ProducerEvent priced = ProducerEvent.of("t", "llm_call", "writer").at(T0).model("gpt-4o-mini").tokens(1000, 100);
        BigDecimal price = EventCost.of(priced.build(), PriceTable.withBundledPrices("")).orElseThrow();
        append(priced, ProducerEvent.of("t", "llm_call", "writer").model("no-such-model").tokens(1000, 100));
        assertEquals(List.of("agent seen writer", "llm call writer null gpt-4o-mini 1000/100 " + price,
                "agent seen writer", "llm call writer null no-such-model 1000/100 null"), metrics.told);
    }

    @Test
    void anEventThatCannotBeReadDoesNotStopTheCountingOfTheOthers() {
        start(store.workflowActivity());
        StoredEvent unreadable = new StoredEvent("1-0", null, "t", "llm_call", "writer", "{\"id\":\"1-0\"}");
        String json = TraceEventJson.write(ProducerEvent.of("t", "tool_call", "coder").durationMs(5).build().withId("1-1"));
        StoredEvent readable = new StoredEvent("1-1", "1-0", "t", "tool_call", "coder", json);

        ledger.onEvents("t", List.of(unreadable, readable));
        assertEquals(List.of("agent seen writer", "agent seen coder", "tool call coder 5"), metrics.told);
    }

    @Test
    void agentsAreWrittenToTheStoreWithWhenTheirLatestEventWasStoredNotTheProducersClock() {
        start(store.workflowActivity());
        append(ProducerEvent.of("t", "message", "coder").at(Instant.parse("2000-01-01T00:00:00Z")));
        clock.now = clock.now.plusSeconds(3);
        long latest = clock.millis();
        append(ProducerEvent.of("t", "message", "coder").at(Instant.parse("2000-01-01T00:00:00Z")));

        ledger.stop(); // writes what it heard
        assertEquals(Map.of("coder", latest), store.workflowActivity().agentsLastSeen());
    }

    @Test
    void agentsHeardWhileTheStoreFailsAreWrittenAtTheNextFlush() {
        AtomicInteger attempts = new AtomicInteger();
        WorkflowActivity failingOnce = new ForwardingActivity(store.workflowActivity()) {
            @Override
            public void agentsSeen(Map<String, Long> lastEventMillisByAgent) {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the store is down");
                }
                super.agentsSeen(lastEventMillisByAgent);
            }
        };
        start(failingOnce);
        append(ProducerEvent.of("t", "message", "coder"));
        long storedAt = clock.millis();

        ledger.stop(); // the first write fails (here, or in the ledger's own flush before it)
        ledger.stop();
        assertEquals(Map.of("coder", storedAt), store.workflowActivity().agentsLastSeen());
        assertEquals(2, attempts.get());
    }

    /** Workflow metrics that write down what they are told, instead of counting. */
    static final class RecordingMetrics extends WorkflowMetrics {
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void workflowStarted() {
            told.add("workflow started");
        }

        @Override
        public void workflowEnded(boolean completedOk, Duration duration) {
            told.add("workflow ended completed=" + completedOk + " " + duration);
        }

        @Override
        public void taskEnded(String agentId, boolean failedTask, Long durationMs) {
            told.add("task ended " + agentId + " failed=" + failedTask + " " + durationMs);
        }

        @Override
        public void toolCall(String agentId, Long durationMs) {
            told.add("tool call " + agentId + " " + durationMs);
        }

        @Override
        public void llmCall(String agentId, Long durationMs, String modelName, Long inputTokens, Long outputTokens,
                            BigDecimal costUsd) {
            told.add("llm call " + agentId + " " + durationMs + " " + modelName + " " + inputTokens + "/" + outputTokens
                    + " " + costUsd);
        }

        @Override
        public void agentSeen(String agentId) {
            told.add("agent seen " + agentId);
        }
    }

    /** A workflow activity that passes every call on; tests override what should go wrong. */
    static class ForwardingActivity implements WorkflowActivity {
        private final WorkflowActivity to;

        ForwardingActivity(WorkflowActivity to) {
            this.to = to;
        }

        @Override public void started(String traceId, long atMillis) { to.started(traceId, atMillis); }
        @Override public OptionalLong ended(String traceId) { return to.ended(traceId); }
        @Override public void agentsSeen(Map<String, Long> lastEventMillisByAgent) { to.agentsSeen(lastEventMillisByAgent); }
        @Override public List<Running> running() { return to.running(); }
        @Override public Map<String, Long> agentsLastSeen() { return to.agentsLastSeen(); }
    }
}
