package io.tracestream.domain.guards;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.guards.RunFeed.feed;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.TestEvent;
import io.tracestream.domain.summary.PriceTable;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsErrorBurstTest {

    private final RunGuards guards = new RunGuards(GuardSettings.defaults(), PriceTable.empty());

    private static TraceEvent failedTask(double second) {
        return at(second, "task_failed", "coder").task("compile").error("BuildError", "exit 1").build();
    }

    @Test
    void threeFailedStepsWithinSixtySecondsAreABurstOfEveryKindOfFailure() {
        TraceEvent task = failedTask(0);
        TraceEvent tool = at(20, "tool_call", "coder").attribute("tool", "run_tests").error("Timeout", "no answer in 30 s").build();
        TraceEvent model = at(40, "llm_call", "coder").model("gpt-4o").status("error").build();

        List<RunAlert> alerts = feed(guards, task, tool, model);

        assertEquals(1, alerts.size());
        RunAlert burst = alerts.get(0);
        assertEquals(AlertKind.ERROR_BURST, burst.kind());
        assertEquals("error_burst:" + task.id(), burst.key());
        assertEquals(List.of(task.id(), tool.id(), model.id()), burst.eventIds());
        assertEquals(3, burst.evidence().getInt("failed_steps"));
        assertEquals("PT1M", burst.evidence().getString("window"));
        assertEquals("tool run_tests: Timeout: no answer in 30 s", burst.evidence().getJsonArray("errors").getString(1));
        assertEquals("3 steps failed within 60 s: llm_call: error", burst.message());
        assertEquals(second(40), burst.at());
    }

    @Test
    void twoFailuresInAWindowAreNotABurst() {
        assertEquals(List.of(), feed(guards, failedTask(0), failedTask(10),
                at(20, "tool_call", "coder").attribute("tool", "ls").build()));
    }

    @Test
    void failuresSpreadWiderThanTheWindowAreNotABurst() {
        assertEquals(List.of(), feed(guards, failedTask(0), failedTask(40), failedTask(80), failedTask(120),
                failedTask(160), failedTask(200)));
    }

    @Test
    void successfulStepsAndTheWorkflowsOwnFailureAreNotFailedSteps() {
        assertEquals(List.of(), feed(guards, failedTask(0), failedTask(1),
                at(2, "tool_call", "coder").attribute("tool", "ls").status("ok").build(),
                at(3, "task_completed", "coder").task("compile").build(),
                at(4, "workflow_failed", "coder").error("BuildError", "gave up").build()));
    }

    @Test
    void aBurstIsRaisedOnceAndResolvesAWindowAfterItsLastFailure() {
        RunGuards guards = new RunGuards(GuardSettings.defaults().withSilentAfter(Duration.ZERO), PriceTable.empty());
        List<RunAlert> raised = feed(guards, failedTask(0), failedTask(10), failedTask(20), failedTask(30), failedTask(50));
        assertEquals(1, raised.size());

        assertEquals(List.of(), guards.onTick(second(109)));
        List<RunAlert> resolved = guards.onTick(second(110));

        assertEquals(1, resolved.size());
        assertTrue(resolved.get(0).resolved());
        assertEquals(raised.get(0).key(), resolved.get(0).key());

        TraceEvent again = failedTask(300);
        List<RunAlert> later = feed(guards, again, failedTask(301), failedTask(302));
        assertEquals(List.of("error_burst:" + again.id()), later.stream().map(RunAlert::key).toList());
    }

    @Test
    void failuresExportedOutOfOrderCountWhereTheyHappened() {
        TraceEvent late = failedTask(50);
        TraceEvent early = failedTask(10);
        TraceEvent middle = failedTask(30);

        List<RunAlert> alerts = feed(guards, late, early, middle);

        assertEquals(1, alerts.size());
        assertEquals(List.of(early.id(), middle.id(), late.id()), alerts.get(0).eventIds());
    }

    @Test
    void theBurstSizeAndWindowAreConfigurableAndZeroSwitchesItOff() {
        RunGuards five = new RunGuards(GuardSettings.defaults().withErrorBurst(5, Duration.ofMinutes(10)), PriceTable.empty());
        RunGuards off = new RunGuards(GuardSettings.defaults().withErrorBurst(0, Duration.ofSeconds(60)), PriceTable.empty());
        TraceEvent[] failures = {failedTask(0), failedTask(100), failedTask(200), failedTask(300), failedTask(400)};

        assertEquals(1, feed(five, failures).size());
        assertEquals(List.of(), feed(off, failures));
    }
}
