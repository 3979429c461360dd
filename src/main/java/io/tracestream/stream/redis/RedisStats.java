package io.tracestream.stream.redis;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and levels of the Redis backend, read by the metrics in {@code ops}. Kept here as plain
 * numbers so this package does not depend on the metrics API.
 */
public final class RedisStats {

    private final LongAdder errors = new LongAdder();
    private final LongAdder claimed = new LongAdder();
    private volatile long pending;
    private volatile long lag;

    public LongAdder errors() { return errors; }
    public LongAdder claimed() { return claimed; }
    public long pending() { return pending; }
    public long lag() { return lag; }

    void levels(long pending, long lag) {
        this.pending = pending;
        this.lag = lag;
    }
}
