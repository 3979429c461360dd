package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.ProducerEvent;
import io.tracestream.testing.SpanBatches;
import io.tracestream.testing.UnitConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each trace's summary: folded from the stored history, then kept current by live events, folded
 * again when it missed one; a stream's first ask goes to the store, its later ones to the cache;
 * the cache is bounded by its size and by the span events its summaries keep. On the real
 * in-memory store (live events handed on by the appending thread), which records its reads.
 */
class TraceSummariesTest {

    /** One read of the store: which trace, after which id (null: from the start). */
    record Read(String traceId, String afterId) {}

    private final List<Read> reads = new CopyOnWriteArrayList<>();
    private final MemoryEventStore store = new MemoryEventStore(100_000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC()) {
        @Override
        public List<StoredEvent> read(String traceId, String afterId, int limit) {
            reads.add(new Read(traceId, afterId));
            return super.read(traceId, afterId, limit);
        }
    };

    private TraceSummaries summaries(TraceStreamConfig config) {
        TraceSummaries summaries = TraceSummaries.of(store, config);
        store.subscribe(Share.WATCHED_TRACES, summaries::onEvents); // as the live dispatcher does
        return summaries;
    }

    private String append(String trace, String type) {
        return store.append(trace, List.of(ProducerEvent.of(trace, type, "planner").toNew())).ids().get(0);
    }

    private boolean foldedFromTheStart(String trace) {
        return reads.contains(new Read(trace, null));
    }

    @Test
    void theSummaryOfAnUnknownTraceIsEmptyUntilItHasEvents() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        assertTrue(summaries.summary("t").isEmpty());
        assertTrue(summaries.forStream("t").get().isEmpty());

        append("t", "workflow_started");
        assertEquals(1, summaries.summary("t").orElseThrow().eventCount(), "the empty answer was not kept");
    }

    @Test
    void aSummaryIsFoldedFromTheWholeHistoryPageByPage() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        List<NewEvent> events = new ArrayList<>();
        events.add(ProducerEvent.of("t", "workflow_started", "planner").toNew());
        for (int i = 0; i < 118; i++) {
            events.add(ProducerEvent.of("t", "message", "agent-" + i % 3).toNew());
        }
        events.add(ProducerEvent.of("t", "workflow_completed", "planner").toNew());
        List<String> ids = store.append("t", events).ids();

        TraceSummary summary = summaries.summary("t").orElseThrow();
        assertEquals(120, summary.eventCount());
        assertEquals(ids.get(119), summary.lastEventId());
        assertEquals(4, summary.agents().size(), "planner and three others");
        assertEquals(3, reads.size(), "120 events in pages of " + UnitConfig.SUMMARIES.replayPage());
    }

    @Test
    void aCachedSummaryIsKeptCurrentByLiveEventsWithoutReadingTheStore() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        append("t", "workflow_started");
        summaries.summary("t").orElseThrow();
        store.watch("t");
        append("t", "message");
        String last = append("t", "workflow_completed");
        reads.clear();

        TraceSummary cached = summaries.cachedSummary("t").orElseThrow();
        assertEquals(3, cached.eventCount());
        assertEquals(last, cached.lastEventId());
        assertEquals(List.of(), reads);
    }

    @Test
    void aLiveBatchThatSkipsAnEventMakesTheSummaryFoldAgainFromTheStore() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        append("t", "workflow_started");
        summaries.summary("t").orElseThrow();
        append("t", "message"); // not watched: the cached summary misses it
        store.watch("t");
        String last = append("t", "workflow_completed"); // names the missed event as its predecessor
        reads.clear();

        TraceSummary summary = summaries.cachedSummary("t").orElseThrow();
        assertEquals(3, summary.eventCount());
        assertEquals(last, summary.lastEventId());
        assertTrue(foldedFromTheStart("t"), "folded again: " + reads);
    }

    @Test
    void aLiveEventAlreadyFoldedIsIgnored() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        append("t", "workflow_started");
        append("t", "message");
        summaries.summary("t").orElseThrow();
        // Redis hands on a trace's newest event again each time it subscribes.
        List<StoredEvent> newest = store.read("t", null, 10).subList(1, 2);
        reads.clear();

        summaries.onEvents("t", newest);
        assertEquals(2, summaries.cachedSummary("t").orElseThrow().eventCount());
        assertEquals(List.of(), reads, "neither folded twice nor taken for a gap");
    }

    @Test
    void liveEventsOfATraceNobodyAskedForAreNotFolded() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        store.watch("t");
        append("t", "workflow_started");
        assertEquals(List.of(), reads, "no summary made for them");
        assertEquals(1, summaries.summary("t").orElseThrow().eventCount());
    }

    @Test
    void aStreamsFirstSummaryIsCaughtUpFromTheStoreAndItsLaterOnesAreTheCachedSummary() {
        TraceSummaries summaries = summaries(UnitConfig.SUMMARIES);
        append("t", "workflow_started");
        summaries.summary("t").orElseThrow();
        append("t", "message"); // stored while no stream on this instance watched the trace

        Supplier<Optional<TraceSummary>> forStream = summaries.forStream("t");
        assertEquals(2, forStream.get().orElseThrow().eventCount(), "the first ask reads what the cache missed");
        append("t", "message"); // unwatched again: only the store has it
        reads.clear();
        assertEquals(2, forStream.get().orElseThrow().eventCount(), "later asks answer from the cache");
        assertEquals(List.of(), reads);
    }

    @Test
    void theCacheHoldsItsSizeInSummariesDroppingTheLeastRecentlyUsed() {
        TraceSummaries summaries = summaries(UnitConfig.summaries(2, 100_000));
        for (String trace : List.of("t1", "t2", "t3")) {
            append(trace, "workflow_started");
        }
        summaries.summary("t1");
        summaries.summary("t2");
        summaries.summary("t1"); // used again: t2 is now the least recently used
        summaries.summary("t3");
        reads.clear();

        summaries.summary("t1");
        summaries.summary("t3");
        assertFalse(foldedFromTheStart("t1") || foldedFromTheStart("t3"), "still cached: " + reads);
        summaries.summary("t2");
        assertTrue(foldedFromTheStart("t2"), "dropped, so folded again: " + reads);
    }

    @Test
    void beyondTheKeptEventsLimitTheLeastRecentlyUsedSpanSummariesAreDroppedAndFoldedAgainWhenAsked() {
        // Two spans' events per span trace: two such summaries keep more than ten.
        TraceSummaries summaries = summaries(UnitConfig.summaries(100, 10));
        store.append("json", List.of(ProducerEvent.of("json", "workflow_started", "planner").toNew()));
        for (String trace : List.of("spans-old", "spans-new")) {
            store.append(trace, SpanBatches.span(trace, 1));
            store.append(trace, SpanBatches.span(trace, 2));
        }
        summaries.summary("json");
        summaries.summary("spans-old");
        summaries.summary("spans-new"); // 16 events kept: the older span summary goes
        reads.clear();

        assertEquals(1, summaries.summary("json").orElseThrow().eventCount());
        assertEquals(8, summaries.summary("spans-new").orElseThrow().eventCount());
        assertFalse(foldedFromTheStart("json"), "a summary that keeps no events is not dropped for them: " + reads);
        assertFalse(foldedFromTheStart("spans-new"), "the summary just asked for stays: " + reads);

        assertEquals(8, summaries.summary("spans-old").orElseThrow().eventCount());
        assertTrue(foldedFromTheStart("spans-old"), "dropped, so folded again: " + reads);
    }
}
