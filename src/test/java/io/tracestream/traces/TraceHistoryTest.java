package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.ops.InFlightWork;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.ProducerEvent;
import io.tracestream.testing.UnitConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A trace's whole history, read a page ({@code replayPage}, 50 here) at a time, oldest first. */
class TraceHistoryTest {

    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC());
    private final TraceHistory history = new TraceHistory();

    TraceHistoryTest() {
        history.store = store;
        history.config = UnitConfig.SUMMARIES;
        history.work = new InFlightWork();
    }

    private List<String> append(String trace, int events) {
        List<NewEvent> batch = IntStream.range(0, events)
                .mapToObj(i -> ProducerEvent.of(trace, "message", "agent-" + i).toNew()).toList();
        return store.append(trace, batch).ids();
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    @Test
    void everyEventIsReadOldestFirstAcrossPages() {
        List<String> ids = append("t", 120);
        assertEquals(ids, ids(history.all("t")));
    }

    @Test
    void aHistoryThatFillsItsLastPageExactlyIsReadWhole() {
        List<String> ids = append("t", 100);
        assertEquals(ids, ids(history.all("t")));
    }

    @Test
    void anUnknownTraceHasAnEmptyHistory() {
        assertEquals(List.of(), history.all("nothing-here"));
    }
}
