package io.tracestream.domain.guards;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.guards.RunFeed.feed;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.TestEvent;
import io.tracestream.domain.summary.PriceTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsSilenceTest {

    private final RunGuards guards = new RunGuards(GuardSettings.defaults(), PriceTable.empty());

    /** Ticks once a second from {@code from} to {@code to} seconds, both included; every alert they gave. */
    private static List<RunAlert> tick(RunGuards guards, int from, int to) {
        List<RunAlert> out = new ArrayList<>();
        for (int s = from; s <= to; s++) {
            out.addAll(guards.onTick(second(s)));
        }
        return out;
    }

    /**
     * The start of a span still running, as the OTLP receiver maps Logfire's pending span: the real
     * span's id and parent, marked {@code logfire.span_type: pending_span}.
     */
    private static TraceEvent pendingStart(double second, String realSpan) {
        return at(second, "task_started", "coder").span(realSpan).parent("root")
                .attribute("logfire.span_type", "pending_span").build();
    }

    @Test
    void aRunWithNoEventForSixtySecondsIsSilentOnceAndTheNextEventResolvesIt() {
        TraceEvent last = at(0, "task_started", "coder").span("s1").build();
        guards.onEvent(last);

        assertEquals(List.of(), tick(guards, 1, 59));
        List<RunAlert> silent = guards.onTick(second(60));
        assertEquals(List.of(), tick(guards, 61, 90));

        assertEquals(1, silent.size());
        RunAlert alert = silent.get(0);
        assertEquals(AlertKind.SILENT, alert.kind());
        assertEquals(AlertSeverity.WARNING, alert.severity());
        assertEquals("silent:" + last.id(), alert.key());
        assertEquals(second(60), alert.at());
        assertEquals(second(0).toString(), alert.evidence().getString("last_event_at"));
        assertEquals(List.of(last.id()), alert.eventIds());
        assertEquals("no event for 60 s (limit 60 s), nothing in flight", alert.message());

        List<RunAlert> resolved = guards.onEvent(at(91, "task_completed", "coder").span("s1").build());
        assertEquals(1, resolved.size());
        assertEquals(alert.key(), resolved.get(0).key());
        assertTrue(resolved.get(0).resolved());
        assertEquals(second(91), resolved.get(0).resolvedAt());
        assertEquals(List.of(), guards.openAlerts());
    }

    @Test
    void aLongRunThatKeepsWorkingIsNeverSilent() {
        List<RunAlert> alerts = new ArrayList<>();
        for (int s = 0; s <= 3600; s++) {
            if (s % 45 == 0) {
                alerts.addAll(guards.onEvent(at(s, s % 90 == 0 ? "task_started" : "task_completed", "coder")
                        .span("step-" + s / 90).build()));
            }
            alerts.addAll(guards.onTick(second(s)));
        }

        assertEquals(List.of(), alerts);
    }

    @Test
    void aRunWithAnOpenPendingSpanIsNotSilentUntilItsRealSpanEnds() {
        feed(guards, at(0, "workflow_started", "coder").build(), pendingStart(1, "task-7"));

        assertEquals(List.of(), tick(guards, 2, 600));
        assertTrue(guards.hasWorkInFlight());

        TraceEvent realEnd = at(300, "task_completed", "coder").span("task-7").build();
        guards.onEvent(realEnd);
        assertFalse(guards.hasWorkInFlight());
        List<RunAlert> alerts = tick(guards, 601, 661);

        assertEquals(List.of("silent:" + realEnd.id()), alerts.stream().map(RunAlert::key).toList());
        assertEquals(second(660), alerts.get(0).at());
    }

    @Test
    void everyKindOfSpanEndEndsItsPendingSpan() {
        for (String end : List.of("task_completed", "task_failed", "workflow_completed", "workflow_failed", "llm_call", "tool_call")) {
            RunGuards run = new RunGuards(GuardSettings.defaults(), PriceTable.empty());
            feed(run, pendingStart(0, "s1"));
            assertTrue(run.hasWorkInFlight(), end);

            run.onEvent(at(5, end, "coder").span("s1").build());

            assertFalse(run.hasWorkInFlight(), end + " ends the span");
        }
    }

    @Test
    void theRealSpansOwnStartDoesNotEndItsPendingSpan() {
        feed(guards, at(0, "workflow_started", "coder").build(), pendingStart(1, "s1"),
                at(1, "agent_called", "coder").span("s1").build(), at(1, "task_started", "coder").span("s1").build());

        assertTrue(guards.hasWorkInFlight(), "a start, even without the mark, is no end");
        assertEquals(List.of(), tick(guards, 2, 600));
    }

    @Test
    void anEventOfAnotherSpanDoesNotEndAPendingSpan() {
        feed(guards, at(0, "workflow_started", "coder").build(), pendingStart(1, "s1"),
                at(2, "task_completed", "coder").span("s2").parent("s1").build());

        assertTrue(guards.hasWorkInFlight());
    }

    @Test
    void aPendingSpanWhoseRealSpanEndedFirstAnnouncesNothing() {
        feed(guards, at(0, "task_completed", "coder").span("task-7").build(), pendingStart(0, "task-7"));

        assertFalse(guards.hasWorkInFlight());
        assertEquals(1, tick(guards, 1, 60).size());
    }

    @Test
    void aFinishedRunIsNeverSilent() {
        feed(guards, at(0, "workflow_started", "a").build(), at(5, "workflow_completed", "a").build());

        assertEquals(List.of(), tick(guards, 6, 600));
    }

    @Test
    void aRunIsSilentFromWhenItWasLastHeardNotFromItsProducersLaggingClock() {
        guards.onTick(second(100));
        guards.onEvent(at(30, "task_started", "a").span("s1").build());

        assertEquals(List.of(), tick(guards, 101, 159));
        List<RunAlert> alerts = guards.onTick(second(160));

        assertEquals(1, alerts.size());
        assertEquals(second(100).toString(), alerts.get(0).evidence().getString("last_heard_at"));
        assertEquals(second(30).toString(), alerts.get(0).evidence().getString("last_event_at"));
    }

    @Test
    void aSecondSilenceAfterTheFirstWasBrokenIsANewFinding() {
        TraceEvent first = at(0, "task_started", "a").span("s1").build();
        TraceEvent second = at(100, "task_started", "a").span("s2").build();
        guards.onEvent(first);
        List<RunAlert> alerts = new ArrayList<>(tick(guards, 1, 99));
        alerts.addAll(guards.onEvent(second));
        alerts.addAll(tick(guards, 100, 200));

        assertEquals(List.of("silent:" + first.id(), "silent:" + first.id(), "silent:" + second.id()),
                alerts.stream().map(RunAlert::key).toList());
        assertEquals(List.of(false, true, false), alerts.stream().map(RunAlert::resolved).toList());
    }

    @Test
    void theSilenceLimitIsConfigurableAndZeroSwitchesItOff() {
        RunGuards slow = new RunGuards(GuardSettings.defaults().withSilentAfter(Duration.ofMinutes(5)), PriceTable.empty());
        RunGuards off = new RunGuards(GuardSettings.defaults().withSilentAfter(Duration.ZERO), PriceTable.empty());
        slow.onEvent(at(0, "task_started", "a").build());
        off.onEvent(at(0, "task_started", "a").build());

        assertEquals(List.of(), tick(slow, 1, 299));
        assertEquals(1, slow.onTick(second(300)).size());
        assertEquals(List.of(), tick(off, 1, 3600));
    }
}
