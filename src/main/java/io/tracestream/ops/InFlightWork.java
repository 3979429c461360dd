package io.tracestream.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The units of work in progress on this instance, and since when: what the watchdog
 * ({@link WatchdogCheck}) looks at to tell a busy instance from a stuck one. Ingest and the read
 * side open a unit around their own work, after the request body is read and before the answer is
 * written, so a slow client never looks stuck; a unit that never ends (a deadlock, a call that never
 * returns) does.
 *
 * <p>One unit per thread: a unit begun while the thread already has one (a trace list folding
 * summaries) is part of it, and the unit ends when the outermost one is closed, so its age is the
 * age of the whole piece of work.
 *
 * <p>Cheap on the hot path (ingest runs ~10,000 times a second): a put and a remove in a map keyed
 * by thread, measured here at 0.1-0.3 µs per unit (a per-thread slot read through a ThreadLocal was
 * ~0.05 µs cheaper, not worth a registry that must forget dead threads). Only the watchdog walks
 * the map, and it holds at most one entry per request thread.
 */
@ApplicationScoped
public class InFlightWork {

    /** What a unit does, so the readiness data and the log say which side is stuck. */
    public enum Kind {
        /** Storing a request's events (JSON API, OTLP, demo). */
        INGEST,
        /** Reading traces: summaries, the trace list, histories. */
        READ,
        /** Folding live events into the cached summaries. */
        LIVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Thread, Unit> units = new ConcurrentHashMap<>();
    /** Monotonic: a wall clock stepped back or forward by NTP would make work look stuck, or hide it. */
    private final LongSupplier nanoTime;

    public InFlightWork() {
        this(System::nanoTime);
    }

    /** For tests: on a clock of their own, in nanoseconds as {@link System#nanoTime()} counts them. */
    public InFlightWork(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Begins a unit of work on this thread, or joins the one it has; close it in a finally (try-with-resources). */
    public Unit begin(Kind kind) {
        return begin(kind, null);
    }

    /** @param traceId the trace the work concerns, for the log when it is stuck; null when none */
    public Unit begin(Kind kind, String traceId) {
        Thread thread = Thread.currentThread();
        Unit current = units.get(thread);
        if (current != null) {
            current.depth++;
            return current;
        }
        Unit unit = new Unit(thread, kind, traceId, nanoTime.getAsLong());
        units.put(thread, unit);
        return unit;
    }

    /** What is in progress now, and what of it is older than {@code stuckAfter}. */
    public Snapshot snapshot(Duration stuckAfter) {
        long now = nanoTime.getAsLong();
        long limit = stuckAfter.toNanos();
        int inFlight = 0;
        int stuck = 0;
        Unit oldest = null;
        for (Unit unit : units.values()) {
            inFlight++;
            long age = now - unit.startNanos;
            if (age > limit) {
                stuck++;
            }
            if (oldest == null || unit.startNanos - oldest.startNanos < 0) {
                oldest = unit;
            }
        }
        return oldest == null ? new Snapshot(0, 0, 0, null, null, -1, null)
                : new Snapshot(inFlight, stuck, Math.max(0, now - oldest.startNanos) / 1_000_000, oldest.kind,
                        oldest.thread.getName(), oldest.thread.getId(), oldest.traceId);
    }

    /** Units in progress for longer than {@code stuckAfter}. */
    public int stuck(Duration stuckAfter) {
        return snapshot(stuckAfter).stuck();
    }

    /**
     * @param oldestMillis   age of the oldest unit in progress; 0 when none is
     * @param oldestKind     what the oldest unit does; null when none is in progress
     * @param oldestThreadId its thread's id, to find it in a thread dump; -1 when none
     * @param oldestTraceId  the trace it concerns, when it names one
     */
    public record Snapshot(int inFlight, int stuck, long oldestMillis, Kind oldestKind, String oldestThread,
                           long oldestThreadId, String oldestTraceId) {}

    /**
     * A unit of work in progress on one thread. Closed by the thread that began it: it ends when
     * every {@link #begin} of the thread that joined it is closed.
     */
    public final class Unit implements AutoCloseable {
        private final Thread thread;
        private final Kind kind;
        private final String traceId;
        private final long startNanos;
        /** Touched by its own thread only. */
        private int depth = 1;

        private Unit(Thread thread, Kind kind, String traceId, long startNanos) {
            this.thread = thread;
            this.kind = kind;
            this.traceId = traceId;
            this.startNanos = startNanos;
        }

        @Override
        public void close() {
            if (--depth == 0) {
                units.remove(thread, this);
            }
        }
    }
}
