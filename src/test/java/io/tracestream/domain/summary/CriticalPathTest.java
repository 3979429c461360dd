package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

    @Test
    void criticalPathRunsThroughTheBacktestersFailedAttemptAndItsRetry() {
        CriticalPath path = CodeAnalysisFixture.summary().criticalPath();

        assertEquals(90_000, path.durationMs());
        // step index, agent, name, duration, self time: where the 90 s went.
        assertEquals(List.of(
                "0 code_analyzer analyze-repository 89780ms self 920ms",
                "1 code_analyzer gpt-4o 2210ms self 2210ms",
                "2 planner plan-analysis 68450ms self 1020ms",
                "3 planner claude-3-5-sonnet 5150ms self 5150ms",
                "6 backtester run-backtest 2930ms self 180ms",
                "8 backtester load_prices 2750ms self 2750ms",
                "9 backtester run-backtest 53250ms self 650ms",
                "10 backtester load_prices 3050ms self 3050ms",
                "13 backtester run_backtest 43400ms self 43400ms",
                "14 backtester gpt-4o 6150ms self 6150ms",
                "15 planner claude-3-5-sonnet 6100ms self 6100ms",
                "16 report_writer write-report 18200ms self 900ms",
                "17 report_writer gpt-4o 17300ms self 17300ms"),
                describe(path));
    }

    @Test
    void parallelStepThatEndedEarlierIsOffThePath() {
        // b and c run side by side inside a; c ends last, so b could take longer for free.
        CriticalPath path = TestEvent.summarize(second(10),
                at(0, "task_started", "a").span("a").build(),
                at(0.5, "task_started", "b").span("b").parent("a").build(),
                at(0.5, "task_started", "c").span("c").parent("a").build(),
                at(3, "task_completed", "b").span("b").build(),
                at(6, "task_completed", "c").span("c").build(),
                at(7, "task_completed", "a").span("a").build()).criticalPath();

        assertEquals(List.of("0 a a 7000ms self 1500ms", "2 c c 5500ms self 5500ms"), describe(path));
    }

    @Test
    void openStepsOfARunningTraceLastUntilNow() {
        CriticalPath path = TestEvent.summarize(second(20),
                at(0, "task_started", "a").span("a").build(),
                at(1, "task_started", "b").span("b").parent("a").build()).criticalPath();

        assertEquals(20_000, path.durationMs());
        assertEquals(List.of("0 a a 20000ms self 1000ms", "1 b b 19000ms self 19000ms"), describe(path));
    }

    private static List<String> describe(CriticalPath path) {
        return path.steps().stream().map(e -> e.stepIndex() + " " + e.agentId() + " " + e.name() + " "
                + e.durationMs() + "ms self " + e.selfMs() + "ms").toList();
    }
}
