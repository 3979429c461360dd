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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsTooLongTest {

    private static final GuardSettings THIRTY_MINUTES = GuardSettings.defaults().withMaxRunDuration(Duration.ofMinutes(30));

    /** A run that keeps working: an event every 30 s from {@code from} to {@code to} seconds, a tick each second. */
    private static List<RunAlert> work(RunGuards guards, int from, int to) {
        List<RunAlert> out = new ArrayList<>();
        for (int s = from; s <= to; s++) {
            if (s % 30 == 0) {
                out.addAll(guards.onEvent(at(s, "message", "a").attribute("to_agent", "b").build()));
            }
            out.addAll(guards.onTick(second(s)));
        }
        return out;
    }

    @Test
    void aRunMayRunAsLongAsItLikesByDefault() {
        RunGuards guards = new RunGuards(GuardSettings.defaults(), PriceTable.empty());

        assertEquals(List.of(), work(guards, 0, 6 * 3600));
    }

    @Test
    void aRunningTraceOlderThanTheLimitIsTooLongOnceAndResolvesWhenTheRunEnds() {
        RunGuards guards = new RunGuards(THIRTY_MINUTES, PriceTable.empty());
        TraceEvent start = at(0, "workflow_started", "a").build();
        guards.onEvent(start);

        assertEquals(List.of(), work(guards, 1, 1800));
        List<RunAlert> tooLong = guards.onTick(second(1801));
        assertEquals(List.of(), work(guards, 1802, 2400));

        assertEquals(1, tooLong.size());
        RunAlert alert = tooLong.get(0);
        assertEquals(AlertKind.TOO_LONG, alert.kind());
        assertEquals("too_long", alert.key());
        assertEquals(List.of(start.id()), alert.eventIds());
        assertEquals("PT30M", alert.evidence().getString("max_run_duration"));
        assertEquals("run has been going for 30 min (limit 30 min)", alert.message());

        List<RunAlert> resolved = guards.onEvent(at(2401, "workflow_completed", "a").build());
        assertEquals(List.of("too_long"), resolved.stream().map(RunAlert::key).toList());
        assertTrue(resolved.get(0).resolved());
    }

    @Test
    void aFinishedRunIsNotTooLong() {
        RunGuards guards = new RunGuards(THIRTY_MINUTES, PriceTable.empty());
        feed(guards, at(0, "workflow_started", "a").build(), at(100, "workflow_completed", "a").build());

        assertEquals(List.of(), guards.onTick(second(7200)));
    }

    @Test
    void aReplayedHistoryIsJudgedByItsEventTimes() {
        RunGuards guards = new RunGuards(THIRTY_MINUTES, PriceTable.empty());

        List<RunAlert> alerts = feed(guards, at(0, "workflow_started", "a").build(), at(1000, "task_started", "a").build(),
                at(1900, "task_completed", "a").build());

        assertEquals(List.of("too_long"), alerts.stream().map(RunAlert::key).toList());
        assertEquals(second(1900), alerts.get(0).at());
    }
}
