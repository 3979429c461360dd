package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The JVM's deadlock search, asked at most once a second however often health is polled. */
class DeadlockedThreadsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger searches = new AtomicInteger();
    private final AtomicReference<long[]> jvmAnswer = new AtomicReference<>();
    private final DeadlockedThreads deadlocks = new DeadlockedThreads(() -> {
        searches.incrementAndGet();
        return jvmAnswer.get();
    }, nanos::get);

    @Test
    void noneFoundIsZero() {
        assertEquals(0, deadlocks.count(), "the JVM answers null when there is no deadlock");
        assertArrayEquals(new long[0], deadlocks.ids());
    }

    @Test
    void searchesTheJvmAtMostOncePerSecondAndReusesTheAnswerMeanwhile() {
        assertEquals(0, deadlocks.count());
        jvmAnswer.set(new long[] {11, 12});
        nanos.addAndGet(DeadlockedThreads.SEARCH_EVERY.toNanos() - 1);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, deadlocks.count(), "the answer of the last search");
        }
        assertEquals(1, searches.get());
        nanos.addAndGet(1);
        assertEquals(2, deadlocks.count());
        assertArrayEquals(new long[] {11, 12}, deadlocks.ids());
        assertEquals(2, searches.get());
    }
}
