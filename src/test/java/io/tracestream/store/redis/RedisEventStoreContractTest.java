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
        RedisEventStore.Settings settings = new RedisEventStore.Settings("contract-" + UUID.randomUUID(), "test-instance",
                HISTORY_CAP, TTL, 100_000, DEDUP_WINDOW, 500, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 2, 1000, 0);
        store = new RedisEventStore(Redisson.create(config), settings, r -> {
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
