package io.tracestream.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The threads of this JVM that wait for each other forever, as the JVM finds them
 * ({@code ThreadMXBean.findDeadlockedThreads}: cycles over object monitors and over ownable
 * synchronizers such as {@code ReentrantLock}). Such threads never come back, nor does whatever
 * waits for the locks they hold: the watchdog counts them wherever they are.
 *
 * <p>The search stops the JVM at a safepoint (about 40 µs with 250 threads, measured here), and
 * {@code /health/ready} answers whoever asks, as often as they ask: at most one search per
 * {@link #SEARCH_EVERY}, the calls in between get its result.
 */
@ApplicationScoped
public class DeadlockedThreads {

    static final Duration SEARCH_EVERY = Duration.ofSeconds(1);
    private static final long[] NONE = new long[0];

    private final Supplier<long[]> search;
    private final LongSupplier nanoTime;
    private volatile Found last;

    public DeadlockedThreads() {
        this(ManagementFactory.getThreadMXBean()::findDeadlockedThreads, System::nanoTime);
    }

    /**
     * For tests.
     *
     * @param search   the thread ids in deadlock, or null for none (as the JVM answers)
     * @param nanoTime a monotonic clock in nanoseconds
     */
    DeadlockedThreads(Supplier<long[]> search, LongSupplier nanoTime) {
        this.search = search;
        this.nanoTime = nanoTime;
    }

    /** The ids of the threads in deadlock; empty when none are. */
    public long[] ids() {
        long now = nanoTime.getAsLong();
        Found found = last;
        if (found == null || now - found.atNanos >= SEARCH_EVERY.toNanos()) {
            long[] ids = search.get();
            found = new Found(now, ids == null ? NONE : ids);
            last = found; // two callers may both search at the turn of a second: harmless
        }
        return found.ids.clone();
    }

    public int count() {
        return ids().length;
    }

    private record Found(long atNanos, long[] ids) {}
}
