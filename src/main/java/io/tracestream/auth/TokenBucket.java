package io.tracestream.auth;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerSecond}, one token per
 * event. A request costing more than what is left waits; one costing more than the whole burst
 * is let through when the bucket is full and leaves it in debt, so a batch larger than the burst
 * is slowed to the rate rather than refused for ever.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long updatedAt;

    /** @param nowNanos the clock's reading now ({@link System#nanoTime}) */
    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        if (!(ratePerSecond > 0) || !(burst > 0)) {
            throw new IllegalArgumentException("rate and burst must be positive (got " + ratePerSecond + ", " + burst + ")");
        }
        this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
        this.burst = burst;
        this.tokens = burst;
        this.updatedAt = nowNanos;
    }

    /**
     * Takes {@code cost} tokens if they are there.
     *
     * @return 0 when taken; else the nanoseconds until they will be (nothing is taken)
     */
    public synchronized long take(long cost, long nowNanos) {
        long wait = waitFor(cost, nowNanos);
        if (wait == 0) {
            tokens -= cost;
        }
        return wait;
    }

    /** The nanoseconds until {@code cost} tokens will be there, 0 when they are; takes none. */
    public synchronized long waitFor(long cost, long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - updatedAt) * ratePerNano);
        updatedAt = nowNanos;
        double needed = Math.min(cost, burst);
        return tokens >= needed ? 0 : Math.max(1, (long) Math.ceil((needed - tokens) / ratePerNano));
    }
}
