package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracestream.ops.InFlightWork;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.SpanBatches;
import io.tracestream.testing.UnitConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The read side tells the watchdog what it has in progress: each store read happens inside a unit of read work. */
class ReadWorkTest {

    private final InFlightWork work = new InFlightWork();
    /** What the watchdog would have seen at each store read. */
    private final List<InFlightWork.Snapshot> atEachRead = new CopyOnWriteArrayList<>();
    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC()) {
        @Override
        public List<StoredEvent> read(String traceId, String afterId, int limit) {
            atEachRead.add(work.snapshot(Duration.ZERO));
            return super.read(traceId, afterId, limit);
        }
    };

    private TraceSummaries summaries() {
        TraceSummaries summaries = TraceSummaries.of(store, UnitConfig.SUMMARIES);
        summaries.work = work;
        return summaries;
    }

    @Test
    void aTraceListScanIsOneUnitOfReadWorkTheSummariesItFoldsIncluded() {
        store.append("t1", SpanBatches.span("t1", 1));
        store.append("t2", SpanBatches.span("t2", 1));
        TraceList list = new TraceList();
        list.store = store;
        list.summaries = summaries();
        list.work = work;

        assertEquals(2, list.find(new TraceList.Query(null, null, Long.MIN_VALUE, null, 10, 100)).traces().size());

        assertFalse(atEachRead.isEmpty());
        for (InFlightWork.Snapshot seen : atEachRead) {
            assertEquals(1, seen.inFlight(), "one unit for the whole scan");
            assertEquals(InFlightWork.Kind.READ, seen.oldestKind());
            assertNull(seen.oldestTraceId(), "the list's unit, not one per summary");
        }
        assertEquals(0, work.snapshot(Duration.ZERO).inFlight());
    }

    @Test
    void aSummaryAndAHistoryAreUnitsOfReadWorkOnTheirTrace() {
        store.append("t1", SpanBatches.span("t1", 1));
        summaries().summary("t1").orElseThrow();
        TraceHistory history = new TraceHistory();
        history.store = store;
        history.config = UnitConfig.SUMMARIES;
        history.work = work;
        assertEquals(SpanBatches.EVENTS_PER_SPAN, history.all("t1").size());

        assertFalse(atEachRead.isEmpty());
        for (InFlightWork.Snapshot seen : atEachRead) {
            assertEquals(1, seen.inFlight());
            assertEquals("t1", seen.oldestTraceId());
        }
        assertEquals(0, work.snapshot(Duration.ZERO).inFlight());
    }
}
