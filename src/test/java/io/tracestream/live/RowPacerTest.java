package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The list streams' pacing of rows, on a clock the test moves. */
class RowPacerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long now = 5 * SECOND;
    private final RowPacer pacer = new RowPacer(SECOND, 100, () -> now);

    @Test
    void aTraceNotSentWithinTheIntervalGoesAtOnce() {
        assertEquals(List.of("a", "b"), pacer.due(List.of("a", "b")));
        now += SECOND;
        assertEquals(List.of("a"), pacer.due(List.of("a")), "a full interval later");
    }

    @Test
    void aBusyTraceWaitsForTheRestOfItsIntervalThenGoesOnceWithoutAnotherChange() {
        assertEquals(List.of("busy"), pacer.due(List.of("busy")));
        now += SECOND / 5;
        assertEquals(List.of("new"), pacer.due(List.of("busy", "new")), "the new trace goes, the busy one waits");
        now += SECOND / 5;
        assertEquals(List.of(), pacer.due(List.of("busy")), "changed again: still one row for the interval");
        now += SECOND * 3 / 5;
        assertEquals(List.of("busy"), pacer.due(List.of()), "its interval is over: sent though nothing changed since");
        now += SECOND / 5;
        assertEquals(List.of(), pacer.due(List.of()), "sent once, not again");
    }

    @Test
    void rememberingNoMoreThanItsBoundATraceItForgotGoesAtOnce() {
        RowPacer small = new RowPacer(SECOND, 2, () -> now);
        assertEquals(List.of("a", "b", "c"), small.due(List.of("a", "b", "c")));
        assertEquals(List.of("a"), small.due(List.of("a")), "a was forgotten (the bound is 2): sent, not held");
        assertEquals(List.of(), small.due(List.of("c")), "c is remembered: held for its interval");
    }
}
