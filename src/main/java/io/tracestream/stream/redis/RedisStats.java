package io.tracestream.stream.redis;

/**
 * What the Redis backend reports to the metrics in {@code ops}: failed commands, claimed entries,
 * and this instance's consumer-group levels. Plain callbacks and numbers, so this package does not
 * depend on the metrics API; on the in-memory backend nothing is reported.
 */
public final class RedisStats {

    private volatile Runnable onError = () -> { };
    private volatile java.util.function.LongConsumer onClaimed = n -> { };
    private volatile long pending;
    private volatile long lag;

    public void onError(Runnable callback) { this.onError = callback; }
    public void onClaimed(java.util.function.LongConsumer callback) { this.onClaimed = callback; }
    public long pending() { return pending; }
    public long lag() { return lag; }

    void error() { onError.run(); }
    void claimed(long entries) { onClaimed.accept(entries); }

    void levels(long pending, long lag) {
        this.pending = pending;
        this.lag = lag;
    }
}
