package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.EventStore;
import io.tracestream.store.EventStoreContract;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.StoreStats;
import io.tracestream.store.WorkflowActivity;
import io.tracestream.testkit.RedisServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.Redisson;
import org.redisson.config.Config;

/**
 * The store's promises kept by the Redis adapter, against a real redis-server started for this
 * class (one store for all its tests, under a key prefix of its own), with a client set up as the
 * server's: few listener threads, one pub/sub connection, no retries. Its clock is the server's:
 * the tests that need to move time (dedup window, expiry) are skipped here.
 */
class RedisEventStoreContractTest extends EventStoreContract {

    private RedisServer server;
    private RedisEventStore store;
    private org.redisson.api.RedissonClient redis;
    private String prefix;

    @BeforeAll
    void start() throws InterruptedException {
        server = RedisServer.startNew();
        Config config = new Config();
        config.setReferenceEnabled(false);
        config.setThreads(2);
        config.useSingleServer().setAddress(server.url())
                .setSubscriptionConnectionPoolSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionsPerConnection(1000)
                .setTimeout(5_000)
                .setRetryAttempts(0);
        prefix = "contract-" + UUID.randomUUID();
        RedisEventStore.Settings settings = new RedisEventStore.Settings(prefix, "test-instance",
                HISTORY_CAP, TTL, 100_000, DEDUP_WINDOW, 500, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 2, 1000, 0);
        redis = Redisson.create(config);
        store = new RedisEventStore(redis, settings, r -> {
            Thread t = new Thread(r, "contract-fanout-reader");
            t.setDaemon(true);
            return t;
        }, new StoreStats());
        subscribeRecorders(store);
        // The shared reader makes its group from the stream's end: events stored before it did would not reach it.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!store.isAvailable() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(store.isAvailable(), "the fan-out reader runs");
    }

    @AfterAll
    void stop() {
        if (store != null) {
            store.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The server's clock cannot be moved: the content's key is seen to expire with the trace's instead. */
    @org.junit.jupiter.api.Test
    void aCallsContentExpiresWhenItsTraceDoes() throws InterruptedException {
        String trace = newTrace();
        io.tracestream.store.NewEvent plain = io.tracestream.testing.ProducerEvent.of(trace, "llm_call", "a").toNew();
        store.append(trace, java.util.List.of(new io.tracestream.store.NewEvent(plain.eventType(), plain.agentId(), null,
                plain.json(), "{}")));
        Thread.sleep(50);
        store.append(trace, java.util.List.of(plain)); // a later event without content keeps the content as long as the trace
        RedisKeys keys = new RedisKeys(prefix);
        long traceTtl = redis.getKeys().remainTimeToLive(keys.trace(trace));
        long contentTtl = redis.getKeys().remainTimeToLive(keys.content(trace));
        assertTrue(traceTtl > TTL.toMillis() - 5_000, "trace " + traceTtl);
        assertTrue(Math.abs(traceTtl - contentTtl) < 1_000, "trace " + traceTtl + " ms, content " + contentTtl + " ms");
    }

    @Override
    protected EventStore store() {
        return store;
    }

    @Override
    protected StoreHealth health() {
        return store;
    }

    @Override
    protected WorkflowActivity activity() {
        return store.workflowActivity();
    }

    @Override
    protected String expectedName() {
        return "redis";
    }

    @Override
    protected long nowMillis() {
        return System.currentTimeMillis(); // redis-server runs on this machine, on its clock
    }

    @Override
    protected boolean moveClock(Duration by) {
        return false;
    }

    @Override
    protected void nextMillisecond() {
        long now = System.currentTimeMillis();
        while (System.currentTimeMillis() <= now + 1) {
            Thread.onSpinWait();
        }
    }
}
