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
        Receipt receipt = ingest.ingest("t1", new Submission(List.of(event(null, "e1"), event(null, "e2")), false));
        assertEquals("t1", receipt.traceId());
        assertEquals(2, receipt.ids().size());
        List<StoredEvent> stored = store.read("t1", null, 10);
        assertEquals(receipt.ids(), stored.stream().map(StoredEvent::id).toList());
        assertEquals(2, counts.ingested);
    }

    @Test
    void takesTheTraceFromTheEventsElseMintsOne() {
        assertEquals("from-body", ingest.ingest(null, new Submission(List.of(event("from-body", null)), true)).traceId());
        String minted = ingest.ingest(null, new Submission(List.of(event(null, null)), true)).traceId();
        assertTrue(minted.matches("[0-9a-f]{32}"), minted);
    }

    @Test
    void stampsEventsWithoutATimestampWithTheArrivalTime() {
        ingest.ingest("t1", new Submission(List.of(event(null, null)), true));
        TraceEvent stored = TraceEventJson.readStored(store.read("t1", null, 1).get(0).json());
        assertEquals(NOW, stored.timestamp());
    }

    @Test
    void refusesEventsOfAnotherTraceAndStoresNothing() {
        InvalidEventsException e = assertThrows(InvalidEventsException.class, () -> ingest.ingest("t1",
                new Submission(List.of(event(null, null), event("t2", null)), false)));
        assertEquals("[1].trace_id", e.errors().get(0).field());
        assertEquals(List.of(), store.read("t1", null, 10));
        assertEquals(Map.of("invalid", 1L), counts.rejected);
    }

    @Test
    void aRetryWithTheSameEventIdIsStoredOnceAndAnsweredWithTheFirstId() {
        Receipt first = ingest.ingest("t1", new Submission(List.of(event(null, "same")), true));
        Receipt retry = ingest.ingest("t1", new Submission(List.of(event(null, "same")), true));
        assertEquals(first.ids(), retry.ids());
        assertEquals(1, retry.duplicates());
        assertEquals(1, store.read("t1", null, 10).size());
        assertEquals(1, counts.ingested);
    }

    @Test
    void countsABodyItsAdapterCouldNotReadByWhyItWasRefused() {
        ingest.refused(new InvalidEventsException("$", "malformed"));
        ingest.refused(new EventsTooLargeException("$", "too big"));
        ingest.refused(EventIngest.Unreadable.INVALID);
        assertEquals(Map.of("invalid", 2L, "too_large", 1L), counts.rejected);
        assertEquals(0, store.read("t1", null, 10).size());
    }

    @Test
    void eachTraceOfAnExportIsStoredInOneAppendAndItsSpansAreCountedOnce() {
        List<String> appends = new ArrayList<>();
        MemoryEventStore counted = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()) {
            @Override
            public AppendResult append(String traceId, List<NewEvent> events) {
                appends.add(traceId + ":" + events.size());
                return super.append(traceId, events);
            }
        };
        Map<String, List<TraceEvent>> byTrace = new java.util.LinkedHashMap<>();
        byTrace.put("a", List.of(spanEvent("a", "1"), spanEvent("a", "2"), spanEvent("a", "3")));
        byTrace.put("b", List.of(spanEvent("b", "4")));
        EventIngest.of(counted, counts, Clock.systemUTC()).ingestSpans(byTrace, 3, 1);
        assertEquals(List.of("a:3", "b:1"), appends, "all or nothing per trace, however many events it has");
        assertEquals(4, counts.ingested);
        assertEquals(List.of(3L, 1L), counts.spans);
    }

    @Test
    void anExportWhoseStoreFailsCountsNoSpansAndTellsTheCaller() {
        MemoryEventStore down = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()) {
            @Override
            public AppendResult append(String traceId, List<NewEvent> events) {
                throw new StoreUnavailableException("down", null);
            }
        };
        assertThrows(StoreUnavailableException.class, () -> EventIngest.of(down, counts, Clock.systemUTC())
                .ingestSpans(Map.of("a", List.of(spanEvent("a", "1"))), 1, 0));
        assertEquals(List.of(), counts.spans, "the exporter retries the whole export");
        assertEquals(Map.of("unavailable", 1L), counts.rejected);
    }

    @Test
    void storingIsAUnitOfIngestWorkForTheWatchdog() {
        InFlightWork work = new InFlightWork();
        List<InFlightWork.Snapshot> seen = new ArrayList<>();
        MemoryEventStore watched = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC()) {
            @Override
            public AppendResult append(String traceId, List<NewEvent> events) {
                seen.add(work.snapshot(Duration.ZERO));
                return super.append(traceId, events);
            }
        };
        EventIngest.of(watched, counts, Clock.systemUTC(), work).ingest("t1", new Submission(List.of(event(null, null)), true));
        assertEquals(1, seen.get(0).inFlight(), "storing");
        assertEquals(InFlightWork.Kind.INGEST, seen.get(0).oldestKind());
        assertEquals("t1", seen.get(0).oldestTraceId());
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
                .ingest("t1", new Submission(List.of(event(null, null)), true)));
        assertEquals(0, work.snapshot(Duration.ZERO).inFlight());
        assertEquals(Map.of("unavailable", 1L), counts.rejected);
    }

    /** An event as the OTLP adapter maps it: its trace and time set. */
    private static TraceEvent spanEvent(String traceId, String eventId) {
        return event(traceId, eventId).withTimestamp(NOW);
    }

    private static TraceEvent event(String traceId, String eventId) {
        return new TraceEvent(null, traceId, "task_started", "agent", null, null, null, null, null, null, null, null,
                null, null, null, eventId, Map.of());
    }

    /** The metrics the service reports to, recorded instead of registered. */
    // ---- content ----------------------------------------------------------------------------------

    private static final String PROMPT = "Compare the two papers; my key is sk-test-abcdefghijklmnopqrstu";

    private static TraceEvent call(String question) {
        TraceEvent e = new TraceEvent(null, null, "llm_call", "researcher", NOW, null, null, null, "error", 10L,
                new TraceEvent.EventError("AuthError", "bad key sk-test-abcdefghijklmnopqrstu"), "gpt-4o", 100L, 5L, null,
                null, Map.of("note", "retry with sk-test-abcdefghijklmnopqrstu", "plain", "nothing secret here at all"));
        return e.withContent(io.tracestream.domain.CallContent.of(new io.tracestream.domain.content.ContentDocument()
                .input(io.tracestream.domain.content.ContentDocument.textMessage("user", question))
                .output(io.tracestream.domain.content.ContentDocument.textMessage("assistant", "Paper A is newer.")).build()));
    }

    private EventIngest under(io.tracestream.domain.content.ContentPolicy.Capture capture) {
        return EventIngest.of(store, counts, Clock.fixed(NOW, ZoneOffset.UTC), new InFlightWork(),
                new io.tracestream.domain.content.ContentPolicy(capture, 1_048_576, 200,
                        io.tracestream.domain.content.Redaction.of(true, List.of())));
    }

    @Test
    void aCallsContentIsStoredBesideItsEventWhichCarriesPreviewsOnly() {
        Receipt r = ingest.ingest("c1", new Submission(List.of(call("Which paper is newer?")), true));
        String stored = store.read("c1", null, 1).get(0).json();
        assertTrue(stored.contains("\"input_preview\":\"Which paper is newer?\""), stored);
        assertTrue(stored.contains("\"kept\":true"), stored);
        String content = store.content("c1", r.ids().get(0)).orElseThrow();
        assertTrue(content.contains("Paper A is newer."), content);
        assertTrue(!stored.contains("\"parts\""), "the document is not inside the event");
    }

    @Test
    void secretsAreRedactedFromTheContentTheAttributesAndTheErrorAndCounted() {
        Receipt r = ingest.ingest("c2", new Submission(List.of(call(PROMPT)), true));
        String stored = store.read("c2", null, 1).get(0).json() + store.content("c2", r.ids().get(0)).orElseThrow();
        assertTrue(!stored.contains("sk-test"), stored);
        assertTrue(stored.contains("nothing secret here at all"), "other texts untouched");
        assertEquals(3, counts.redacted, "in the prompt, an attribute and the error: each counted once");
    }

    @Test
    void metadataCaptureStoresPreviewsButNoContent() {
        Receipt r = under(io.tracestream.domain.content.ContentPolicy.Capture.METADATA)
                .ingest("c3", new Submission(List.of(call("Which paper is newer?")), true));
        String stored = store.read("c3", null, 1).get(0).json();
        assertTrue(stored.contains("Which paper is newer?"), stored);
        assertTrue(stored.contains("\"kept\":false"), stored);
        assertEquals(java.util.Optional.empty(), store.content("c3", r.ids().get(0)));
    }

    @Test
    void noneCaptureStoresNoWordOfWhatWasSaid() {
        Receipt r = under(io.tracestream.domain.content.ContentPolicy.Capture.NONE)
                .ingest("c4", new Submission(List.of(call("Which paper is newer?")), true));
        String stored = store.read("c4", null, 1).get(0).json();
        assertTrue(!stored.contains("Which paper") && !stored.contains("Paper A") && !stored.contains("\"content\""), stored);
        assertEquals(java.util.Optional.empty(), store.content("c4", r.ids().get(0)));
        assertEquals(100L, TraceEventJson.readStored(stored).inputTokens(), "the call itself is stored");
    }

    private static final class Counts extends ServiceMetrics {
        long ingested;
        long redacted;

        @Override
        public void redacted(long secrets) {
            redacted += secrets;
        }
        final Map<String, Long> rejected = new java.util.TreeMap<>();
        final List<Long> spans = new ArrayList<>();

        @Override
        public void otlpSpans(long accepted, long rejectedSpans) {
            spans.add(accepted);
            spans.add(rejectedSpans);
        }

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
