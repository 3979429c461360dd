package io.tracestream.store.redis;

import io.tracestream.store.LiveListener;
import io.tracestream.store.StoreStats;
import io.tracestream.store.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.AutoClaimResult;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamGroup;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;

/**
 * The reader of the fan-out stream: one thread, one blocking {@code XREADGROUP} at a time, through
 * the group {@code workflows} that all instances share, so each event is handled by one instance
 * only (workflow metrics). Entries a dead instance read but never acknowledged are claimed by a
 * survivor after {@code claim-idle}. It hands a trace's events to its listener in order, then
 * acknowledges them ({@code XACK}, a few reads' worth at a time).
 *
 * <p>Between reads it keeps the instance's heartbeat, and removes what departed instances left in
 * Redis: their consumers in the group, and the consumer groups of their own through which each
 * instance read every event before events were routed per trace ({@link LiveChannels}).
 */
final class FanoutReader implements Runnable {

    private static final Logger LOG = Logger.getLogger(FanoutReader.class.getName());
    /** The longest a read waits for entries; kept below the response timeout, see {@link #read}. */
    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Duration BACKOFF = Duration.ofMillis(500);
    /** The longest an entry stays delivered but unacknowledged while entries keep coming. */
    private static final Duration ACK_EVERY = Duration.ofMillis(50);
    /** The pause after a batch that was not full: its share feeds metrics, not screens. */
    private static final Duration PAUSE = Duration.ofMillis(100);
    /** A long outage is said again this often, so a log read later still says why. */
    private static final Duration OUTAGE_WARNING_EVERY = Duration.ofMinutes(1);

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final RedisEventStore.Settings settings;
    private final StoreStats stats;
    private final RStream<String, String> fanout;
    private final String group;
    private final String consumer;
    private final CommandAsyncExecutor commands;
    private final long blockMillis;

    private volatile LiveListener listener = (traceId, events) -> { };
    private volatile boolean running = true;
    private volatile boolean healthy;
    private volatile Thread thread;
    private boolean groupReady;
    /**
     * The newest entry this reader handed on, so a group that vanished (Redis restarted empty, or
     * another instance took this one for dead) is made again from there, not from the end: events
     * stored meanwhile, perhaps by an instance whose ingest recovered first, are not skipped.
     */
    private StreamMessageId lastDelivered;
    /** The group vanished since it was made: make it again from {@link #lastDelivered}. */
    private boolean vanished;
    /** Set from the first failure of an outage until a read succeeds, so each outage is logged once... */
    private boolean failing;
    /** ...and then again at most every {@link #OUTAGE_WARNING_EVERY} while it lasts (System.nanoTime()). */
    private long nextOutageWarning;
    /** What the last outage warning said was wrong. */
    private String outageReason;
    private long nextHeartbeat;
    private long nextClaim;
    private long nextJanitor;
    /** Delivered, not yet acknowledged; only touched by the reader thread. */
    private final List<StreamMessageId> unacked = new ArrayList<>();
    private long firstUnackedAt;

    FanoutReader(RedissonClient redis, RedisKeys keys, RedisEventStore.Settings settings, StoreStats stats) {
        this.redis = redis;
        this.keys = keys;
        this.settings = settings;
        this.stats = stats;
        this.fanout = redis.getStream(keys.fanout(), StringCodec.INSTANCE);
        this.group = RedisKeys.SHARED_GROUP;
        this.consumer = settings.instanceId();
        this.commands = ((Redisson) redis).getCommandExecutor();
        this.blockMillis = Math.max(1, Math.min(BLOCK.toMillis(), settings.timeout().toMillis() / 2));
    }

    void setListener(LiveListener listener) {
        this.listener = listener;
    }

    /** Its last Redis call answered, and its thread still runs (an Error would end it). */
    boolean isHealthy() {
        Thread t = thread;
        return healthy && t != null && t.isAlive();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        LOG.info(() -> "Reading fan-out stream " + keys.fanout() + " as group " + group);
        while (running) {
            try {
                if (!groupReady) {
                    createGroup();
                }
                maintain();
                if (!healthy) {
                    // Ready as soon as Redis answers, not only when the blocking read below returns
                    // (up to BLOCK later on a quiet stream), so a fresh instance takes traffic at once.
                    fanout.isExists();
                    markHealthy();
                }
                Map<StreamMessageId, Map<String, String>> batch = read();
                deliver(batch);
                acknowledge(batch.isEmpty());
                if (batch.size() < settings.readBatch()) {
                    // Nobody waits on this share (it feeds metrics): reading less often makes
                    // bigger batches, so Redis and this instance spend far fewer calls on it.
                    pause(PAUSE);
                }
            } catch (RedisException e) {
                if (!running) {
                    break;
                }
                if (streamOrGroupVanished(e)) {
                    // Redis restarted without persistence: streams and groups are gone.
                    LOG.warning("Consumer group " + group + " vanished (Redis restarted?); recreating it");
                    groupReady = false;
                    vanished = true;
                    continue;
                }
                stats.error();
                long now = System.nanoTime();
                String why = why(e);
                // A first timeout may hide the reason (a slow TLS handshake): a reason found later is said too.
                boolean clearerReason = !why.equals(outageReason) && !why.equals(UNREACHABLE);
                if (healthy || !failing || clearerReason || now - nextOutageWarning >= 0) {
                    LOG.warning(why + "; ingest and live delivery wait until it answers: " + rootMessage(e));
                    nextOutageWarning = now + OUTAGE_WARNING_EVERY.toNanos();
                    outageReason = why;
                }
                failing = true;
                healthy = false;
                pause(BACKOFF);
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                // A listener bug must not end live delivery for the whole instance.
                LOG.log(Level.SEVERE, "Unexpected error in the fan-out reader", e);
                pause(BACKOFF);
            }
        }
        try {
            acknowledge(true); // what was handled is not handed to another instance again
        } catch (RedisException e) {
            LOG.fine(() -> "Could not acknowledge at shutdown: " + e.getMessage());
        }
    }

    /**
     * The next entries never delivered to this group, waiting up to {@link #blockMillis} for some.
     * Sent as Redisson's ordinary {@code XREADGROUP}, not through {@code RStream.readGroup} with a
     * timeout: Redisson 4.7.0 follows every answer to a command it counts as blocking with {@code
     * ServiceManager.isShuttingDown(null)}, which throws a NullPointerException it then drops, two
     * exceptions built per read (about 5 % of the CPU of a live delivery in the profile of
     * docs/benchmarks.md). An ordinary command must be answered within the response timeout
     * ({@code tracestream.redis.timeout}), so the block is at most half of it.
     */
    private Map<StreamMessageId, Map<String, String>> read() {
        RFuture<Map<StreamMessageId, Map<String, String>>> answer = commands.writeAsync(keys.fanout(),
                StringCodec.INSTANCE, RedisCommands.XREADGROUP_SINGLE, "GROUP", group, consumer,
                "COUNT", settings.readBatch(), "BLOCK", blockMillis, "STREAMS", keys.fanout(), ">");
        Map<StreamMessageId, Map<String, String>> batch = commands.get(answer);
        return batch == null ? Map.of() : batch;
    }

    /**
     * What an operator should look at first. Redisson wraps the reason a connection failed (AUTH
     * refused, TLS handshake refused) a few levels deep, under "Unable to connect to Redis server",
     * so the whole chain is searched.
     */
    static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("WRONGPASS") || message.contains("NOAUTH") || message.contains("NOPERM")) {
                return "Redis refused this instance's credentials (check the URL's user and password, "
                        + "tracestream.redis.username and tracestream.redis.password, and the user's ACL; "
                        + "with Sentinel, tracestream.redis.sentinel.username and .password too)";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "The TLS handshake with Redis failed (check tracestream.redis.tls.ca-file, "
                        + "tracestream.redis.tls.verify-hostname and tracestream.redis.tls.keystore)";
            }
        }
        return UNREACHABLE;
    }

    private static final String UNREACHABLE = "Redis unreachable";

    /** The innermost message: the one that says what happened (Redisson masks the AUTH password in it). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Redis restarted without persistence: the fan-out stream and every group are gone. */
    private static boolean streamOrGroupVanished(RedisException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("NOGROUP") || message.contains("no such key");
    }

    void stop() {
        running = false;
        try {
            redis.getBucket(keys.instance(settings.instanceId()), StringCodec.INSTANCE).delete();
        } catch (RedisException e) {
            LOG.fine(() -> "Could not remove the heartbeat at shutdown: " + e.getMessage());
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void markHealthy() {
        if (!healthy) {
            LOG.info("Redis reachable; live delivery running");
        }
        failing = false;
        healthy = true;
    }

    private void createGroup() {
        try {
            // Created once, from '$', then it resumes where the instances left it. Made again
            // after it vanished: from the last entry handed on (everything in a stream that Redis
            // started afresh), so nothing stored since is skipped.
            StreamMessageId from = !vanished ? StreamMessageId.NEWEST
                    : lastDelivered != null ? lastDelivered : StreamMessageId.ALL;
            fanout.createGroup(StreamCreateGroupArgs.name(group).id(from).makeStream());
        } catch (RedisException e) {
            if (!String.valueOf(e.getMessage()).contains("BUSYGROUP")) {
                throw e;
            }
        }
        groupReady = true;
        vanished = false;
    }

    private void deliver(Map<StreamMessageId, Map<String, String>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<StoredEvent>> byTrace = new LinkedHashMap<>();
        List<StreamMessageId> ids = new ArrayList<>(batch.size());
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : RedisEntries.inIdOrder(batch)) {
            ids.add(entry.getKey());
            lastDelivered = entry.getKey();
            StoredEvent event = RedisEntries.fromFanout(entry.getValue());
            if (event != null) { // else not one of ours: acknowledged and skipped
                byTrace.computeIfAbsent(event.traceId(), t -> new ArrayList<>()).add(event);
            }
        }
        LiveListener target = listener;
        byTrace.forEach(target::onEvents);
        if (unacked.isEmpty()) {
            firstUnackedAt = System.nanoTime();
        }
        unacked.addAll(ids);
    }

    /**
     * Acknowledges what was delivered, every {@link #ACK_EVERY} or when the stream is idle, in one
     * {@code XACK}. Why not per read: at a steady rate each read brings an entry or two, and an
     * {@code XACK} per read doubled this reader's round trips. An entry delivered but not yet
     * acknowledged when the instance dies is delivered again; subscribers drop ids they sent.
     */
    private void acknowledge(boolean idle) {
        if (unacked.isEmpty() || (!idle && unacked.size() < settings.readBatch()
                && System.nanoTime() - firstUnackedAt < ACK_EVERY.toNanos())) {
            return;
        }
        fanout.ackAsync(group, unacked.toArray(StreamMessageId[]::new));
        unacked.clear();
    }

    /** Heartbeat, claim and clean-up, each when due; cheap when nothing is due. */
    private void maintain() {
        long now = System.currentTimeMillis();
        long ttl = settings.instanceTtl().toMillis();
        if (now >= nextHeartbeat) {
            redis.getBucket(keys.instance(settings.instanceId()), StringCodec.INSTANCE)
                    .set(Long.toString(now), settings.instanceTtl());
            nextHeartbeat = now + ttl / 3;
        }
        if (groupReady && now >= nextClaim) {
            claimIdleEntries();
            nextClaim = now + Math.max(1, settings.claimIdle().toMillis() / 2);
        }
        if (now >= nextJanitor) {
            removeGroupsOfDeadInstances();
            nextJanitor = now + ttl;
        }
    }

    /**
     * Entries read but never acknowledged (the reader died between the two: this instance's
     * earlier incarnation, or any other instance) are delivered again.
     */
    private void claimIdleEntries() {
        AutoClaimResult<String, String> claimed = fanout.autoClaim(group, consumer,
                settings.claimIdle().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS,
                StreamMessageId.MIN, settings.readBatch());
        Map<StreamMessageId, Map<String, String>> messages = claimed.getMessages();
        if (!messages.isEmpty()) {
            stats.claimed(messages.size());
            LOG.info(() -> "Claimed " + messages.size() + " idle fan-out entries");
            deliver(messages);
            acknowledge(true);
        }
    }

    private void removeGroupsOfDeadInstances() {
        for (StreamGroup g : fanout.listGroups()) {
            String name = g.getName();
            if (name.equals(group)) {
                stats.levels(g.getPending(), g.getLag());
                removeConsumersOfDeadInstances(name);
                continue;
            }
            if (name.startsWith(RedisKeys.INSTANCE_GROUP_PREFIX)) {
                String other = name.substring(RedisKeys.INSTANCE_GROUP_PREFIX.length());
                if (!redis.getBucket(keys.instance(other), StringCodec.INSTANCE).isExists()) {
                    fanout.removeGroup(name);
                    LOG.info(() -> "Removed consumer group " + name + " of a departed instance");
                }
            }
        }
    }

    /** A dead instance's consumer in the shared group goes once a survivor claimed its entries. */
    private void removeConsumersOfDeadInstances(String sharedGroup) {
        for (org.redisson.api.stream.StreamConsumer c : fanout.listConsumers(sharedGroup)) {
            if (c.getPending() == 0 && !c.getName().equals(consumer)
                    && !redis.getBucket(keys.instance(c.getName()), StringCodec.INSTANCE).isExists()) {
                fanout.removeConsumer(sharedGroup, c.getName());
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
