package io.tracestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.ingest.EventIngest.Receipt;
import io.tracestream.ingest.EventIngest.Submission;
import io.tracestream.ops.InFlightWork;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.store.AppendResult;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one ingest service, over the real in-memory store, counting into a recorder. */
class EventIngestTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC());
    private final Counts counts = new Counts();
    private final EventIngest ingest = EventIngest.of(store, counts, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void storesEveryEventUnderTheTraceTheProducerNamedAndCountsThem() {
        Receipt receipt = ingest.ingest("t1", () -> new Submission(List.of(event(null, "e1"), event(null, "e2")), false));
        assertEquals("t1", receipt.traceId());
        assertEquals(2, receipt.ids().size());
        List<StoredEvent> stored = store.read("t1", null, 10);
        assertEquals(receipt.ids(), stored.stream().map(StoredEvent::id).toList());
        assertEquals(2, counts.ingested);
    }

    @Test
    void takesTheTraceFromTheEventsElseMintsOne() {
        assertEquals("from-body", ingest.ingest(null, () -> new Submission(List.of(event("from-body", null)), true)).traceId());
        String minted = ingest.ingest(null, () -> new Submission(List.of(event(null, null)), true)).traceId();
        assertTrue(minted.matches("[0-9a-f]{32}"), minted);
    }

    @Test
    void stampsEventsWithoutATimestampWithTheArrivalTime() {
        ingest.ingest("t1", () -> new Submission(List.of(event(null, null)), true));
        TraceEvent stored = TraceEventJson.readStored(store.read("t1", null, 1).get(0).json());
        assertEquals(NOW, stored.timestamp());
    }

    @Test
    void refusesEventsOfAnotherTraceAndStoresNothing() {
        InvalidEventsException e = assertThrows(InvalidEventsException.class, () -> ingest.ingest("t1",
                () -> new Submission(List.of(event(null, null), event("t2", null)), false)));
        assertEquals("[1].trace_id", e.errors().get(0).field());
        assertEquals(List.of(), store.read("t1", null, 10));
        assertEquals(Map.of("invalid", 1L), counts.rejected);
    }

    @Test
    void aRetryWithTheSameEventIdIsStoredOnceAndAnsweredWithTheFirstId() {
        Receipt first = ingest.ingest("t1", () -> new Submission(List.of(event(null, "same")), true));
        Receipt retry = ingest.ingest("t1", () -> new Submission(List.of(event(null, "same")), true));
        assertEquals(first.ids(), retry.ids());
        assertEquals(1, retry.duplicates());
        assertEquals(1, store.read("t1", null, 10).size());
        assertEquals(1, counts.ingested);
    }

    @Test
    void countsABodyThatCannotBeReadByWhyItWasRefused() {
        assertThrows(InvalidEventsException.class, () -> ingest.ingest("t1", () -> {
            throw new InvalidEventsException("$", "malformed");
        }));
        assertThrows(EventsTooLargeException.class, () -> ingest.ingest("t1", () -> {
            throw new EventsTooLargeException("$", "too big");
        }));
        assertEquals(Map.of("invalid", 1L, "too_large", 1L), counts.rejected);
    }

    @Test
    void storingIsAUnitOfIngestWorkForTheWatchdogAndReadingTheBodyIsNot() {
        InFlightWork work = new InFlightWork();
        List<InFlightWork.Snapshot> seen = new ArrayList<>();
        MemoryEventStore watched = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()) {
            @Override
            public AppendResult append(String traceId, List<NewEvent> events) {
                seen.add(work.snapshot(Duration.ZERO));
                return super.append(traceId, events);
            }
        };
        EventIngest.of(watched, counts, Clock.systemUTC(), work).ingest("t1", () -> {
            seen.add(work.snapshot(Duration.ZERO)); // the body being read: a slow upload is not stuck work
            return new Submission(List.of(event(null, null)), true);
        });
        assertEquals(0, seen.get(0).inFlight(), "reading the body");
        assertEquals(1, seen.get(1).inFlight(), "storing");
        assertEquals(InFlightWork.Kind.INGEST, seen.get(1).oldestKind());
        assertEquals("t1", seen.get(1).oldestTraceId());
        assertEquals(0, work.snapshot(Duration.ZERO).inFlight(), "ended with the append");
    }

    @Test
    void anAppendThatFailsEndsItsUnitOfWorkToo() {
        InFlightWork work = new InFlightWork();
        MemoryEventStore down = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()) {
            @Override
            public AppendResult append(String traceId, List<NewEvent> events) {
                throw new StoreUnavailableException("down", null);
            }
        };
        assertThrows(StoreUnavailableException.class, () -> EventIngest.of(down, counts, Clock.systemUTC(), work)
                .ingest("t1", () -> new Submission(List.of(event(null, null)), true)));
        assertEquals(0, work.snapshot(Duration.ZERO).inFlight());
        assertEquals(Map.of("unavailable", 1L), counts.rejected);
    }

    private static TraceEvent event(String traceId, String eventId) {
        return new TraceEvent(null, traceId, "task_started", "agent", null, null, null, null, null, null, null, null,
                null, null, null, eventId, Map.of());
    }

    /** The metrics the service reports to, recorded instead of registered. */
    private static final class Counts extends ServiceMetrics {
        long ingested;
        final Map<String, Long> rejected = new java.util.TreeMap<>();

        @Override
        public void ingested(long events) {
            ingested += events;
        }

        @Override
        public void rejected(String reason, long events) {
            rejected.merge(reason, events, Long::sum);
        }
    }
}
