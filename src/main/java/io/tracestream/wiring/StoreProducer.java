package io.tracestream.wiring;

import io.netty.util.ResourceLeakDetector;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.StoreStats;
import io.tracestream.store.WorkflowActivity;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.store.redis.RedisEventStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Picks the store from the configuration: Redis when {@code tracestream.redis.url} is set, memory
 * otherwise, and says which in one log line. With a URL and Redis down it does not fall back to
 * memory: ingest answers 503 and readiness is down until Redis answers. The adapter chosen is
 * handed out under each of the port's interfaces.
 */
@ApplicationScoped
public class StoreProducer {

    private static final Logger LOG = Logger.getLogger(StoreProducer.class.getName());
    /** Redisson's defaults suit big machines; these suit the 2-core instances we measure on. */
    private static final int REDISSON_THREADS = 2;
    private static final int NETTY_THREADS = 4;
    private static final int INSTANCE_SUFFIX_BYTES = 3;

    @Inject
    TraceStreamConfig config;

    private final StoreStats stats = new StoreStats();
    private Adapter adapter;
    private ScheduledExecutorService sweeper;

    /** One adapter under the port's interfaces, and how to stop it. */
    private record Adapter(EventStore store, StoreHealth health, WorkflowActivity activity, Runnable shutdown) {}

    @Produces
    EventStore store() {
        return adapter().store();
    }

    @Produces
    StoreHealth health() {
        return adapter().health();
    }

    @Produces
    WorkflowActivity workflowActivity() {
        return adapter().activity();
    }

    @Produces
    StoreStats stats() {
        return stats;
    }

    @PreDestroy
    void close() {
        if (adapter != null) {
            adapter.shutdown().run();
        }
    }

    private synchronized Adapter adapter() {
        if (adapter == null) {
            adapter = config.redisUrl().isPresent() || config.redisSentinels().isPresent() ? redis() : memory();
        }
        return adapter;
    }

    private Adapter memory() {
        LOG.info("No tracestream.redis.url set: using the IN-MEMORY backend (one instance, events lost on "
                + "restart). Set TRACESTREAM_REDIS_URL=redis://host:6379 to share events between instances.");
        AtomicInteger handOffThreads = new AtomicInteger();
        ExecutorService handOff = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> daemon(r, "tracestream-memory-live-" + handOffThreads.incrementAndGet()));
        MemoryEventStore store = new MemoryEventStore(config.traceMaxEvents(), config.traceTtl(), config.dedupWindow(),
                Clock.systemUTC(), handOff);
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "tracestream-memory-sweeper"));
        long period = Math.max(1, Math.min(config.traceTtl().toMillis(), config.dedupWindow().toMillis()) / 2);
        sweeper.scheduleAtFixedRate(store::sweep, period, period, TimeUnit.MILLISECONDS);
        return new Adapter(store, store, store.workflowActivity(), () -> {
            sweeper.shutdownNow();
            handOff.shutdownNow();
        });
    }

    private Adapter redis() {
        String instanceId = config.instanceId().orElseGet(StoreProducer::defaultInstanceId);
        Config redisson = new Config();
        redisson.setCodec(StringCodec.INSTANCE);
        redisson.setThreads(REDISSON_THREADS);
        redisson.setNettyThreads(NETTY_THREADS);
        // Start even while Redis is down or refuses the password: ingest answers 503 until it is back.
        redisson.setLazyInitialization(true);
        String where = RedisConnections.configure(redisson, config, instanceId);
        LOG.info("Using the REDIS backend at " + where + " as instance " + instanceId
                + (config.redisMinReplicas() > 0 ? "; each write waits for " + config.redisMinReplicas() + " replica(s)" : ""));
        // Netty's leak detector records a stack trace for a sample of buffers: a cost on every
        // Redis reply, for a diagnosis nobody reads in production.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        RedissonClient client = Redisson.create(redisson);
        RedisEventStore.Settings settings = new RedisEventStore.Settings(config.redisKeyPrefix(), instanceId,
                config.traceMaxEvents(), config.traceTtl(), config.fanoutMaxLen(), config.dedupWindow(),
                config.redisReadBatch(), config.claimIdle(), config.instanceTtl(), config.redisTimeout(),
                config.appendsInFlight(), config.maxBatch(), config.redisMinReplicas());
        RedisEventStore store = new RedisEventStore(client, settings, r -> daemon(r, "tracestream-fanout-reader"), stats);
        return new Adapter(store, store, store.workflowActivity(), store::shutdown);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Host name plus a random suffix: a restarted instance is a new consumer, the old one is cleaned up. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "instance";
        }
        byte[] suffix = new byte[INSTANCE_SUFFIX_BYTES];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(suffix);
    }
}
