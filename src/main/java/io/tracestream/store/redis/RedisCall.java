package io.tracestream.store.redis;

import io.tracestream.store.StoreStats;
import io.tracestream.store.StoreUnavailableException;
import java.util.function.Supplier;
import org.redisson.client.RedisException;

/** Runs a Redis command, turning Redisson's failures into the port's {@link StoreUnavailableException}. */
final class RedisCall {

    private RedisCall() {}

    static <T> T call(StoreStats stats, Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            stats.error();
            throw new StoreUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
