package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.TraceActivity;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.store.memory.MemoryEventStoreTest.ManualClock;
import io.tracestream.testing.ProducerEvent;
import io.tracestream.testing.UnitConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one scan of the trace list: newest activity first, filtered by status, agent, activity and
 * trace-id prefix on each trace's summary, a page at a time with a cursor, looking at no more than
 * {@code maxScanned} traces. Five traces, written a second apart on the store's clock.
 */
class TraceListTest {

    private static final String COMPLETED = "a-completed";
    private static final String FAILED = "a-failed";
    private static final String RUNNING = "b-running";
    private static final String COMPLETED_TOO = "b-completed";
    private static final String RUNNING_TOO = "c-running";
    /** Newest activity first. */
    private static final List<String> ALL = List.of(RUNNING_TOO, COMPLETED_TOO, RUNNING, FAILED, COMPLETED);

    private final ManualClock clock = new ManualClock();
    /** When each trace was written, on the store's clock, oldest first. */
    private final List<Long> writtenAt = new ArrayList<>();
    private final TraceList list = new TraceList();
    private MemoryEventStore store;

    @BeforeEach
    void writeTraces() {
        store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), clock);
        write(COMPLETED, ProducerEvent.of(COMPLETED, "workflow_started", "planner"),
                ProducerEvent.of(COMPLETED, "workflow_completed", "planner"));
        write(FAILED, ProducerEvent.of(FAILED, "workflow_started", "planner"),
                ProducerEvent.of(FAILED, "task_failed", "coder").task("t1").error("Timeout", "took too long"),
                ProducerEvent.of(FAILED, "workflow_failed", "planner"));
        write(RUNNING, ProducerEvent.of(RUNNING, "workflow_started", "coder"));
        write(COMPLETED_TOO, ProducerEvent.of(COMPLETED_TOO, "workflow_started", "reviewer"),
                ProducerEvent.of(COMPLETED_TOO, "workflow_completed", "reviewer"));
        write(RUNNING_TOO, ProducerEvent.of(RUNNING_TOO, "workflow_started", "planner"));
        wire(store);
    }

    private void wire(MemoryEventStore traces) {
        list.store = traces;
        list.summaries = TraceSummaries.of(traces, UnitConfig.SUMMARIES);
        list.work = new InFlightWork();
    }

    private void write(String trace, ProducerEvent... events) {
        clock.now = clock.now.plusSeconds(1);
        writtenAt.add(clock.millis());
        store.append(trace, ProducerEvent.batch(events));
    }

    private TraceList.Page find(TraceStatus status, String agent, long since, TraceActivity cursor, int limit,
                                int maxScanned, List<String> prefixes) {
        return list.find(new TraceList.Query(status, agent, since, cursor, limit, maxScanned, prefixes));
    }

    private TraceList.Page find(TraceStatus status, String agent) {
        return find(status, agent, Long.MIN_VALUE, null, 10, 100, List.of());
    }

    private static List<String> ids(TraceList.Page page) {
        return page.traces().stream().map(TraceSummary::traceId).toList();
    }

    @Test
    void everyTraceIsListedNewestActivityFirstWithNoNextPage() {
        TraceList.Page page = find(null, null);
        assertEquals(ALL, ids(page));
        assertNull(page.next());
    }

    @Test
    void aStatusFilterKeepsTheTracesOfThatStatus() {
        assertEquals(List.of(COMPLETED_TOO, COMPLETED), ids(find(TraceStatus.COMPLETED, null)));
        assertEquals(List.of(FAILED), ids(find(TraceStatus.FAILED, null)));
        assertEquals(List.of(RUNNING_TOO, RUNNING), ids(find(TraceStatus.RUNNING, null)));
    }

    @Test
    void anAgentFilterKeepsTheTracesThatAgentTookPartIn() {
        assertEquals(List.of(RUNNING, FAILED), ids(find(null, "coder")));
        assertEquals(List.of(FAILED), ids(find(TraceStatus.FAILED, "coder")), "both filters at once");
        assertEquals(List.of(), ids(find(null, "nobody")));
    }

    @Test
    void onlyTracesActiveSinceTheGivenInstantAreListed() {
        long thirdWritten = writtenAt.get(2);
        TraceList.Page page = find(null, null, thirdWritten, null, 10, 100, List.of());
        assertEquals(List.of(RUNNING_TOO, COMPLETED_TOO, RUNNING), ids(page));
        assertNull(page.next(), "older traces are not looked at further");
    }

    @Test
    void onlyTracesUnderOneOfThePrefixesAreListed() {
        assertEquals(List.of(FAILED, COMPLETED), ids(find(null, null, Long.MIN_VALUE, null, 10, 100, List.of("a-"))));
        assertEquals(List.of(RUNNING_TOO, FAILED, COMPLETED),
                ids(find(null, null, Long.MIN_VALUE, null, 10, 100, List.of("a-", "c-"))));
    }

    @Test
    void aCursorPagesThroughTheListOnceEach() {
        List<String> paged = new ArrayList<>();
        TraceActivity cursor = null;
        int pages = 0;
        do {
            TraceList.Page page = find(null, null, Long.MIN_VALUE, cursor, 2, 100, List.of());
            paged.addAll(ids(page));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertEquals(ALL, paged);
        assertEquals(3, pages);
    }

    @Test
    void aRareFilterLooksAtNoMoreThanMaxScannedTracesAndSaysWhereToGoOn() {
        TraceList.Page first = find(TraceStatus.FAILED, null, Long.MIN_VALUE, null, 1, 2, List.of());
        assertEquals(List.of(), ids(first), "the failed trace is the fourth newest");
        assertNotNull(first.next());
        assertEquals(COMPLETED_TOO, first.next().traceId(), "the last one looked at");

        TraceList.Page second = find(TraceStatus.FAILED, null, Long.MIN_VALUE, first.next(), 1, 2, List.of());
        assertEquals(List.of(FAILED), ids(second));
    }

    @Test
    void aTraceThatExpiredAfterTheIndexListedItIsSkipped() {
        // The port allows recentTraces to name a trace that expired a moment ago.
        MemoryEventStore withExpired = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), clock) {
            @Override
            public List<TraceActivity> recentTraces(TraceActivity cursor, int limit) {
                List<TraceActivity> found = new ArrayList<>();
                if (cursor == null) {
                    found.add(new TraceActivity("expired", clock.millis()));
                }
                found.addAll(super.recentTraces(cursor, limit));
                return found.subList(0, Math.min(limit, found.size()));
            }
        };
        withExpired.append(RUNNING, ProducerEvent.batch(ProducerEvent.of(RUNNING, "workflow_started", "coder")));
        wire(withExpired);
        assertEquals(List.of(RUNNING), ids(find(null, null)));
    }
}
