package io.tracestream.faults;

import io.tracestream.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A private redis-server and several Trace Stream instances on it, started in parallel. It also
 * plays the load balancer: {@link #route} sends a (re)connecting client to an instance that is up
 * (the one it asks for, else one at random, as a balancer that health-checks its back ends would).
 */
final class Cluster implements AutoCloseable {

    /** Generous: three Payara Micros start at once on two shared cores. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Settings every fault-test instance shares; a test class adds or overrides its own. The end's
     * grace is short: the producers here stop before they send a trace's end, so nothing comes late.
     * The run guards are off: these tests hold every stored event to account, and a guard's finding
     * (a silence during an outage, say) is an event of the trace too; RunGuardsClusterIT turns them on.
     */
    static final Map<String, String> BASE_SETTINGS = Map.of(
            "tracestream.sse.heartbeat", "PT1S",
            "tracestream.sse.retry", "PT0.2S",
            "tracestream.redis.instance-ttl", "PT5S",
            "tracestream.redis.claim-idle", "PT5S",
            "tracestream.trace.end-grace", "PT0.5S",
            "tracestream.guards.enabled", "false");

    private final RedisServer redis;
    private final Resp resp;
    private final String prefix;
    private final Map<String, String> settings;
    private final List<AutoCloseable> owned;
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private int generation;

    private Cluster(RedisServer redis, Map<String, String> settings) {
        this(redis, new Resp(redis.port()), settings, List.of());
    }

    private Cluster(RedisServer redis, Resp resp, Map<String, String> settings, List<AutoCloseable> owned) {
        this.redis = redis;
        this.resp = resp;
        this.prefix = "tracestream";
        this.settings = settings;
        this.owned = owned;
    }

    /**
     * No instance yet, on a Redis the test set up itself (a password, TLS, Sentinel): the base
     * settings plus {@code settings} (which say how to reach it), {@code resp} to look into it,
     * and the processes to stop with the cluster. Add instances with {@link #newInstance}.
     */
    static Cluster on(Resp resp, Map<String, String> settings, List<? extends AutoCloseable> redisProcesses) {
        Map<String, String> all = new LinkedHashMap<>(BASE_SETTINGS);
        all.putAll(settings);
        return new Cluster(null, resp, all, List.copyOf(redisProcesses));
    }

    /** Starts Redis and {@code size} instances named i1..iN with the base settings plus {@code extra}. */
    static Cluster start(String label, int size, Map<String, String> extra) {
        return start(label, size, extra, Map.of());
    }

    /** As {@link #start(String, int, Map)}, with settings of some instances (by index from 0) overridden. */
    static Cluster start(String label, int size, Map<String, String> extra, Map<Integer, Map<String, String>> perInstance) {
        RedisServer redis = RedisServer.startNew();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "stop-redis"));
        Map<String, String> settings = new LinkedHashMap<>(BASE_SETTINGS);
        settings.putAll(extra);
        settings.put("tracestream.redis.url", redis.url());
        Cluster cluster = new Cluster(redis, settings);
        List<Instance> started = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            started.add(cluster.newInstance(label + "-i" + i, perInstance.getOrDefault(i - 1, Map.of())));
        }
        try {
            cluster.awaitReady(started);
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts another instance (a replacement after a kill, say), with per-instance overrides. */
    Instance newInstance(String name, Map<String, String> overrides) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.putAll(overrides);
        Instance instance = new Instance(name, s);
        instance.start();
        instances.add(instance);
        return instance;
    }

    void awaitReady(List<Instance> which) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Instance i : which) {
            ready.add(CompletableFuture.runAsync(() -> i.awaitReady(START_TIMEOUT)));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    /** Starts a replacement instance with a fresh id (as a restarted pod would get) and waits for it. */
    Instance replace(Instance dead) {
        Instance fresh = newInstance(dead.name() + "-r" + (++generation), Map.of());
        awaitReady(List.of(fresh));
        return fresh;
    }

    Instance get(int index) {
        return instances.get(index);
    }

    List<Instance> instances() {
        return instances;
    }

    List<Instance> up() {
        return instances.stream().filter(Instance::isUp).toList();
    }

    /**
     * The load balancer: the instance at {@code preferred} (modulo the number of instances) if it
     * is up, else the next one that is.
     */
    Instance route(int preferred) {
        List<Instance> all = instances;
        Instance wanted = all.get(Math.floorMod(preferred, all.size()));
        if (wanted.isUp()) {
            return wanted;
        }
        List<Instance> up = up();
        if (up.isEmpty()) {
            throw new IllegalStateException("no instance is up");
        }
        return up.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(up.size()));
    }

    RedisServer redis() {
        return redis;
    }

    Resp resp() {
        return resp;
    }

    String traceKey(String traceId) {
        return prefix + ":trace:" + traceId;
    }

    String fanoutKey() {
        return prefix + ":fanout";
    }

    /** The consumers of the group {@code workflows} that all instances share, by name (the instance ids). */
    Map<String, Map<String, Object>> sharedConsumers() {
        return fanoutGroups().containsKey("workflows") ? resp.consumers(fanoutKey(), "workflows") : Map.of();
    }

    /** The consumer groups on the fan-out stream (XINFO GROUPS), by name. */
    Map<String, Map<String, Object>> fanoutGroups() {
        return resp.groups(fanoutKey());
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (Instance i : instances) {
            stopped.add(CompletableFuture.runAsync(i::destroy));
        }
        CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).join();
        if (redis != null) {
            redis.stop();
        }
        for (AutoCloseable process : owned) {
            try {
                process.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
