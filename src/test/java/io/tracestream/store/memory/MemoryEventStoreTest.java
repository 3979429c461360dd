package io.tracestream.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class MemoryEventStoreTest {

    /** A clock the test moves by hand. */
    public static final class ManualClock extends Clock {
        public Instant now = Instant.parse("2025-01-20T10:30:45Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final ManualClock clock = new ManualClock();
    private final MemoryEventStore bus = new MemoryEventStore(3, Duration.ofMinutes(10), Duration.ofMinutes(1), clock);

    private static NewEvent event(String type, String eventId) {
        return new NewEvent(type, "agent", eventId, "{\"event_type\":\"" + type + "\"}");
    }

    @Test
    void idsIncreaseStrictlyEvenWithinOneMillisecond() {
        List<String> ids = bus.append("t", List.of(event("a", null), event("b", null))).ids();
        assertEquals(List.of("1737369045000-0", "1737369045000-1"), ids);
    }

    @Test
    void liveEventsNameTheirPredecessorAndCarryTheirIdInTheJson() {
        List<StoredEvent> seen = new ArrayList<>();
        bus.subscribe(Share.WATCHED_TRACES, (trace, events) -> seen.addAll(events));
        bus.watch("t");
        bus.append("t", List.of(event("a", null)));
        bus.append("t", List.of(event("b", null)));
        assertNull(seen.get(0).previousId());
        assertEquals(seen.get(0).id(), seen.get(1).previousId());
        assertEquals("{\"id\":\"" + seen.get(1).id() + "\",\"event_type\":\"b\"}", seen.get(1).json());
    }

    @Test
    void liveEventsReachTheListenerOnlyWhileTheirTraceIsWatched() {
        List<String> seen = new ArrayList<>();
        bus.subscribe(Share.WATCHED_TRACES, (trace, events) -> events.forEach(e -> seen.add(trace + ":" + e.eventType())));
        bus.append("t", List.of(event("before", null)));
        bus.watch("t");
        bus.watch("t");
        bus.append("t", List.of(event("twice", null)));
        bus.append("other", List.of(event("unwatched", null)));
        bus.unwatch("t");
        bus.append("t", List.of(event("once", null)));
        bus.unwatch("t");
        bus.append("t", List.of(event("after", null)));
        assertEquals(List.of("t:twice", "t:once"), seen);
        assertEquals(1, bus.read("other", null, 10).size(), "stored, watched or not");
    }

    @Test
    void historyIsCappedKeepingTheNewest() {
        for (String type : new String[] {"a", "b", "c", "d"}) {
            bus.append("t", List.of(event(type, null)));
        }
        List<StoredEvent> history = bus.read("t", null, 10);
        assertEquals(List.of("b", "c", "d"), history.stream().map(StoredEvent::eventType).toList());
        assertEquals(history.get(0).id(), bus.head("t").orElseThrow().firstId());
    }

    @Test
    void readResumesAfterAnId() {
        List<String> ids = bus.append("t", List.of(event("a", null), event("b", null), event("c", null))).ids();
        assertEquals(List.of("c"), bus.read("t", ids.get(1), 10).stream().map(StoredEvent::eventType).toList());
    }

    @Test
    void aDuplicateEventIdWithinTheWindowIsAnsweredWithTheOriginalId() {
        String first = bus.append("t", List.of(event("a", "k1"))).ids().get(0);
        var again = bus.append("t", List.of(event("a", "k1"), event("b", "k2")));
        assertEquals(first, again.ids().get(0));
        assertEquals(1, again.stored());
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        assertTrue(isAfter(bus.append("t", List.of(event("a", "k1"))).ids().get(0), first),
                "after the window the same event_id is a new event");
    }

    @Test
    void aTraceExpiresAfterItsTtlWithoutWrites() {
        bus.append("t", List.of(event("a", null)));
        clock.now = clock.now.plus(Duration.ofMinutes(10));
        assertTrue(bus.head("t").isEmpty());
        assertTrue(bus.read("t", null, 10).isEmpty());
    }

    @Test
    void theEndOfAWorkflowIsVisibleInTheHead() {
        bus.append("t", List.of(event("workflow_started", null), event("workflow_completed", null)));
        assertTrue(bus.head("t").orElseThrow().ended());
    }

    private static boolean isAfter(String a, String b) {
        return io.tracestream.domain.EntryId.isAfter(a, b);
    }
}
