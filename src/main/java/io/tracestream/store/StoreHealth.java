package io.tracestream.store;

/** Whether the store can be used now, for readiness and the {@code redis_up} gauge. */
public interface StoreHealth {

    /** True when the store answers and its live readers run (both shares). */
    boolean isAvailable();

    /** A short name for logs and health: {@code memory} or {@code redis}. */
    String name();
}
