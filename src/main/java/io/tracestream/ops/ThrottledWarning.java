package io.tracestream.ops;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning that may recur on every request (the store is down, a password is refused): written
 * the first time, then at most once per interval with how often it recurred meanwhile, so an
 * outage says clearly why without flooding the log.
 */
public final class ThrottledWarning {

    /** How often a recurring warning is written again while it lasts. */
    public static final Duration EVERY = Duration.ofMinutes(1);

    private final Logger log;
    private final long intervalNanos;
    private long nextAt = Long.MIN_VALUE;
    private long suppressed;

    public ThrottledWarning(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Writes the warning unless it was written less than an interval ago. */
    public void warn(Supplier<String> message) {
        long now = System.nanoTime();
        long repeats;
        synchronized (this) {
            if (nextAt != Long.MIN_VALUE && now - nextAt < 0) {
                suppressed++;
                return;
            }
            nextAt = now + intervalNanos;
            repeats = suppressed;
            suppressed = 0;
        }
        log.log(Level.WARNING, () -> message.get() + (repeats == 0 ? "" : " (" + repeats + " more like it since the last)"));
    }
}
