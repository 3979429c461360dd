package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.LockOrder;
import io.tracestream.store.Share;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.SpanBatches;
import io.tracestream.testing.UnitConfig;
import io.tracestream.testkit.LockOrderProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Summaries read while one trace is written from many threads and watched (defect found from
 * outside: the in-memory store handed live events to the summaries while holding the trace's
 * lock, and a summary read held the summary's lock while reading the store: each waited for the
 * other, and the trace, and every list read, hung for good). The real store and summaries, wired
 * as the live dispatcher wires them; a probe samples every thread's locks and fails on a wait the
 * documented lock order does not allow, and on a deadlock.
 */
class TraceSummariesConcurrencyTest {

    private static final String TRACE = "concurrent-trace";
    private static final Duration RUN = Duration.ofSeconds(2);
    /** Spans written at most: enough waits to prove the order many times, a trace small enough to fold quickly. */
    private static final int MAX_SPANS = 2000;

    /** Live events handed on by a pool of their own, as the server does. */
    private final ExecutorService handOff = Executors.newFixedThreadPool(2);
    private final MemoryEventStore store = new MemoryEventStore(100_000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC(), handOff);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        handOff.shutdownNow();
        pool.shutdownNow();
    }

    @Test
    void concurrentSpanExportsWhileTheTraceIsWatchedAndSummarisedNeverWaitOutOfLockOrder() throws Exception {
        TraceSummaries summaries = TraceSummaries.of(store, UnitConfig.SUMMARIES);
        // What LiveDispatcher does with each live batch of a watched trace.
        store.subscribe(Share.WATCHED_TRACES, summaries::onEvents);
        store.watch(TRACE);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger spans = new AtomicInteger();
        AtomicInteger appended = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) { // an SDK's simple span processor: one export per ended span, concurrently
            workers.add(pool.submit(() -> {
                int n;
                while (running.get() && (n = spans.incrementAndGet()) <= MAX_SPANS) {
                    store.append(TRACE, SpanBatches.span(TRACE, n));
                    appended.incrementAndGet();
                }
            }));
        }
        for (int t = 0; t < 4; t++) { // a dashboard's summary and the list page's reads
            workers.add(pool.submit(() -> {
                while (running.get()) {
                    summaries.summary(TRACE).orElseThrow();
                    reads.incrementAndGet();
                }
            }));
        }
        try (LockOrderProbe probe = LockOrderProbe.start(LockOrder.DOCUMENTED)) {
            Thread.sleep(RUN.toMillis());
            running.set(false);
            try {
                for (Future<?> w : workers) {
                    w.get(30, TimeUnit.SECONDS);
                }
            } catch (TimeoutException e) {
                probe.assertNoViolation(); // names the deadlock that keeps the workers waiting
                throw new AssertionError("workers still busy 30 s after the run", e);
            }
            probe.assertNoViolation();
        }
        assertTrue(reads.get() > 0, "summaries were read");
        long events = summaries.summary(TRACE).orElseThrow().eventCount();
        assertEquals((long) SpanBatches.EVENTS_PER_SPAN * appended.get(), events, "every span's events are in the summary");
    }
}
