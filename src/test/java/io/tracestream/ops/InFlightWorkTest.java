package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.InFlightWork.Kind;
import io.tracestream.ops.InFlightWork.Snapshot;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The units of work in progress, on a clock the test moves: how old they are and which are stuck. */
class InFlightWorkTest {

    private static final Duration STUCK_AFTER = Duration.ofSeconds(30);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InFlightWork work = new InFlightWork(nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void nothingInProgressIsNothingStuck() {
        assertEquals(new Snapshot(0, 0, 0, null, null, -1, null), work.snapshot(STUCK_AFTER));
        assertEquals(0, work.stuck(STUCK_AFTER));
    }

    @Test
    void aUnitIsStuckOnlyOnceItHasRunLongerThanStuckAfterAndIsGoneWhenClosed() {
        try (InFlightWork.Unit unit = work.begin(Kind.INGEST, "t1")) {
            advance(STUCK_AFTER);
            Snapshot atTheLimit = work.snapshot(STUCK_AFTER);
            assertEquals(1, atTheLimit.inFlight());
            assertEquals(0, atTheLimit.stuck(), "exactly stuck-after is not longer than it");
            assertEquals(30_000, atTheLimit.oldestMillis());

            advance(Duration.ofMillis(1));
            Snapshot past = work.snapshot(STUCK_AFTER);
            assertEquals(1, past.stuck());
            assertEquals(Kind.INGEST, past.oldestKind());
            assertEquals("t1", past.oldestTraceId());
            assertEquals(Thread.currentThread().getName(), past.oldestThread());
            assertEquals(Thread.currentThread().getId(), past.oldestThreadId());
        }
        assertEquals(0, work.snapshot(STUCK_AFTER).inFlight());
    }

    @Test
    void nestedBeginsOnOneThreadAreOneUnitAgedFromTheOutermostAndEndingWithIt() {
        try (InFlightWork.Unit outer = work.begin(Kind.READ)) {
            advance(Duration.ofSeconds(20));
            try (InFlightWork.Unit inner = work.begin(Kind.INGEST, "inner")) {
                advance(Duration.ofSeconds(15));
                Snapshot nested = work.snapshot(STUCK_AFTER);
                assertEquals(1, nested.inFlight(), "one unit, not two");
                assertEquals(35_000, nested.oldestMillis(), "aged from the outermost begin");
                assertEquals(1, nested.stuck(), "stuck although the inner call began 15 s ago");
                assertEquals(Kind.READ, nested.oldestKind(), "the outermost unit says what the work is");
            }
            assertEquals(1, work.snapshot(STUCK_AFTER).inFlight(), "the inner close does not end the unit");
        }
        assertEquals(0, work.snapshot(STUCK_AFTER).inFlight());
    }

    @Test
    void aThreadThatNeverEndsItsUnitStaysStuckAndIsTheOldest() throws Exception {
        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        Thread hung = new Thread(() -> {
            try (InFlightWork.Unit unit = work.begin(Kind.READ, "hung-trace")) {
                begun.countDown();
                release.await(); // a lock that is never released, as far as the watchdog can tell
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.countDown();
        }, "hung-reader");
        hung.setDaemon(true);
        hung.start();
        try {
            assertTrue(begun.await(10, TimeUnit.SECONDS));
            advance(Duration.ofSeconds(10));
            try (InFlightWork.Unit young = work.begin(Kind.INGEST)) {
                advance(Duration.ofSeconds(25));
                Snapshot seen = work.snapshot(STUCK_AFTER);
                assertEquals(2, seen.inFlight());
                assertEquals(1, seen.stuck(), "35 s hung, the 25 s one is not stuck yet");
                assertEquals(35_000, seen.oldestMillis());
                assertEquals("hung-reader", seen.oldestThread());
                assertEquals(hung.getId(), seen.oldestThreadId());
                assertEquals("hung-trace", seen.oldestTraceId());
            }
            advance(Duration.ofHours(1));
            assertEquals(1, work.stuck(STUCK_AFTER), "still stuck an hour later: nothing ends it but its thread");
        } finally {
            release.countDown();
        }
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        hung.join(10_000);
        assertEquals(0, work.snapshot(STUCK_AFTER).inFlight(), "its unit ended with the work");
    }

    @Test
    void agesAreDifferencesSoTheClockMayWrap() {
        // System.nanoTime may be anywhere, negative too, and only differences count.
        nanos.set(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());
        try (InFlightWork.Unit unit = work.begin(Kind.INGEST)) {
            advance(Duration.ofSeconds(40));
            Snapshot seen = work.snapshot(STUCK_AFTER);
            assertEquals(40_000, seen.oldestMillis());
            assertEquals(1, seen.stuck());
        }
    }
}
