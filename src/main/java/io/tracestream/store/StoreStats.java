package io.tracestream.store;

import java.util.function.LongConsumer;

/**
 * What an adapter reports for the metrics: failed commands, entries claimed again, and the levels
 * of the consumer group shared by the instances (work done once per event). Plain callbacks and numbers, so the adapters know nothing of the
 * metrics API and the metrics nothing of the adapters; the in-memory store reports nothing.
 */
public final class StoreStats {

    private volatile Runnable onError = () -> { };
    private volatile LongConsumer onClaimed = n -> { };
    private volatile long pending;
    private volatile long lag;

    public void onError(Runnable callback) {
        this.onError = callback;
    }

    public void onClaimed(LongConsumer callback) {
        this.onClaimed = callback;
    }

    /** Entries the shared group read but has not acknowledged yet. */
    public long pending() {
        return pending;
    }

    /** Entries the shared group has not read yet. */
    public long lag() {
        return lag;
    }

    public void error() {
        onError.run();
    }

    public void claimed(long entries) {
        onClaimed.accept(entries);
    }

    public void levels(long pending, long lag) {
        this.pending = pending;
        this.lag = lag;
    }
}
