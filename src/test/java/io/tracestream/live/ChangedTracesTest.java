package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.store.NewEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.store.memory.MemoryEventStoreTest.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the list streams learn changed, from the store's activity index (the memory store here). */
class ChangedTracesTest {

    private final ManualClock clock = new ManualClock();
    private final MemoryEventStore store = new MemoryEventStore(100, Duration.ofHours(1), Duration.ofMinutes(1), clock);
    private final ChangedTraces changes = new ChangedTraces(store, 1000);

    private void append(String traceId) {
        store.append(traceId, List.of(new NewEvent("task_started", "a", null, "{\"event_type\":\"task_started\"}")));
    }

    private void tick() {
        clock.now = clock.now.plusMillis(1);
    }

    @Test
    void answersTracesActiveSinceItStartedThenOnlyThoseActiveAgain() {
        append("old");
        tick();
        changes.startFrom(clock.millis());
        append("a");
        append("b");
        tick();
        append("c");
        assertEquals(List.of("c", "b", "a"), changes.next());
        tick();
        assertEquals(List.of("c"), changes.next(), "once more, for the millisecond of the last look");
        assertEquals(List.of(), changes.next(), "nothing new");
        tick();
        append("a");
        assertEquals(List.of("a"), changes.next());
    }

    @Test
    void aTraceActiveAgainWithinTheMillisecondOfTheLastLookIsAnsweredOnceMore() {
        changes.startFrom(clock.millis());
        append("a");
        assertEquals(List.of("a"), changes.next());
        append("a"); // same millisecond: its activity reads as before
        assertEquals(List.of("a"), changes.next(), "answered again, in case it changed");
        assertEquals(List.of(), changes.next(), "then no more");
        tick();
        append("b");
        append("a");
        assertEquals(List.of("b", "a"), changes.next());
    }

    @Test
    void answersEveryChangedTraceWhenMoreChangedThanOnePage() {
        changes.startFrom(clock.millis());
        IntStream.range(0, 250).forEach(i -> {
            tick();
            append("t" + i);
        });
        List<String> changed = changes.next();
        assertEquals(250, changed.size());
        assertEquals("t249", changed.get(0));
        assertEquals("t0", changed.get(249));
    }
}
