package io.tracestream.store.redis;

import io.tracestream.domain.EntryId;
import io.tracestream.store.AppendResult;
import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.StoreStats;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.TraceActivity;
import io.tracestream.store.TraceHead;
import io.tracestream.store.WorkflowActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.protocol.ScoredEntry;
import org.redisson.client.codec.StringCodec;

/**
 * The shared backend: several instances, one Redis.
 *
 * <p>Each trace's history is a Redis stream. An append runs one Lua script that adds the events
 * to the history, to the fan-out stream and to the trace's live channel in one atomic step, so
 * every reader sees a trace in its history order no matter how many instances ingest
 * concurrently. An instance hears of the new events of the traces its clients watch on their
 * live channels ({@link LiveChannels}); the fan-out stream is read through one consumer group
 * shared by all instances, for the work done once per event ({@link FanoutReader}).
 */
public class RedisEventStore implements EventStore, StoreHealth {

    private static final LuaScript APPEND = new LuaScript("append.lua");
    private static final LuaScript HEAD = new LuaScript("head.lua");
    /** Extra index entries read past a cursor, for traces that share its millisecond. */
    private static final int CURSOR_TIE_SLACK = 64;

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final Settings settings;
    private final LiveChannels channels;
    private final FanoutReader reader;
    /** The receivers of the once-per-event share, in the order registered. */
    private LiveListener oncePerEvent = (traceId, events) -> { };
    private final RedisWorkflowActivity activity;
    private final StoreStats stats;
    private final GroupCommit appends;

    /** What the Redis backend needs to know, gathered from the configuration. */
    public record Settings(String keyPrefix, String instanceId, long traceMaxEvents, Duration traceTtl,
                           long fanoutMaxLen, Duration dedupWindow, int readBatch,
                           Duration claimIdle, Duration instanceTtl, Duration timeout,
                           int appendsInFlight, int appendMaxEvents, int minReplicas) {}

    public RedisEventStore(RedissonClient redis, Settings settings, ThreadFactory threads, StoreStats stats) {
        this.redis = redis;
        this.settings = settings;
        this.keys = new RedisKeys(settings.keyPrefix());
        this.stats = stats;
        this.activity = new RedisWorkflowActivity(redis, keys, settings.traceTtl(), stats);
        this.appends = new GroupCommit(settings.appendsInFlight(), settings.appendMaxEvents(), settings.timeout(), stats,
                this::appendScript);
        this.channels = new LiveChannels(redis, keys, stats);
        this.reader = new FanoutReader(redis, keys, settings, stats);
        threads.newThread(reader).start();
    }

    @Override
    public AppendResult append(String traceId, List<NewEvent> events) {
        return appends.append(traceId, events);
    }

    /** One script call storing the appends of several requests, each to its own trace. */
    private CompletionStage<List<Object>> appendScript(List<GroupCommit.Append> batch) {
        List<Object> scriptKeys = new ArrayList<>(2 + batch.size());
        scriptKeys.add(keys.fanout());
        scriptKeys.add(keys.traceIndex());
        int size = 4;
        for (GroupCommit.Append a : batch) {
            size += 5 + a.events().size() * RedisEntries.ARGS_PER_EVENT;
        }
        List<Object> args = new ArrayList<>(size);
        args.add(settings.traceMaxEvents());
        args.add(settings.traceTtl().toMillis());
        args.add(settings.fanoutMaxLen());
        args.add(settings.dedupWindow().toMillis());
        for (GroupCommit.Append a : batch) {
            scriptKeys.add(keys.trace(a.traceId()));
            args.add(a.traceId());
            args.add(keys.dedupPrefix(a.traceId()));
            args.add(keys.liveChannel(a.traceId()));
            args.add(keys.content(a.traceId()));
            args.add(a.events().size());
            for (NewEvent e : a.events()) {
                RedisEntries.addScriptArgs(args, e);
            }
        }
        return APPEND.runAsync(redis, settings.minReplicas(), settings.timeout(), scriptKeys, args.toArray())
                .thenApply(RedisEventStore::appendedIds);
    }

    /** The append script's answer, {@code "id,=id,..."}, as one entry per event. */
    private static List<Object> appendedIds(List<Object> answer) {
        String joined = (String) answer.get(0);
        return joined.isEmpty() ? List.of() : List.of((Object[]) joined.split(","));
    }

    @Override
    public List<StoredEvent> read(String traceId, String afterId, int limit) {
        RStream<String, String> history = redis.getStream(keys.trace(traceId), StringCodec.INSTANCE);
        Optional<StreamMessageId> start = afterId == null ? Optional.of(StreamMessageId.MIN) : justAfter(afterId);
        if (start.isEmpty()) {
            return List.of();
        }
        StreamMessageId from = start.get();
        Map<StreamMessageId, Map<String, String>> entries =
                call(() -> history.range(limit, from, StreamMessageId.MAX));
        List<StoredEvent> out = new ArrayList<>(entries.size());
        for (Map.Entry<StreamMessageId, Map<String, String>> entry : RedisEntries.inIdOrder(entries)) {
            out.add(RedisEntries.fromHistory(traceId, entry.getKey().toString(), entry.getValue()));
        }
        return out;
    }

    @Override
    public Optional<String> content(String traceId, String id) {
        return Optional.ofNullable(call(() -> redis.<String, String>getMap(keys.content(traceId), StringCodec.INSTANCE).get(id)));
    }

    @Override
    public Optional<TraceHead> head(String traceId) {
        List<Object> answer = call(() -> HEAD.run(redis, List.of(keys.trace(traceId))));
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        String ended = (String) answer.get(2);
        String beforeFirst = (String) answer.get(3);
        return Optional.of(new TraceHead((String) answer.get(0), (String) answer.get(1), ended.isEmpty() ? null : ended,
                beforeFirst.isEmpty() ? null : beforeFirst));
    }

    @Override
    public List<TraceActivity> recentTraces(TraceActivity cursor, int limit) {
        RScoredSortedSet<String> index = redis.getScoredSortedSet(keys.traceIndex(), StringCodec.INSTANCE);
        double max = cursor == null ? Double.POSITIVE_INFINITY : cursor.lastEventMillis();
        // Ties on the score are ordered by member; a few extra cover those before the cursor.
        Collection<ScoredEntry<String>> entries = call(() -> index.entryRangeReversed(
                Double.NEGATIVE_INFINITY, true, max, true, 0, limit + CURSOR_TIE_SLACK));
        List<TraceActivity> out = new ArrayList<>(limit);
        for (ScoredEntry<String> e : entries) {
            TraceActivity activity = new TraceActivity(e.getValue(), e.getScore().longValue());
            if (activity.isAfter(cursor) && out.size() < limit) {
                out.add(activity);
            }
        }
        return out;
    }

    @Override
    public synchronized void subscribe(Share share, LiveListener listener) {
        if (share == Share.WATCHED_TRACES) {
            channels.setListener(listener);
        } else {
            oncePerEvent = oncePerEvent.andThen(listener);
            reader.setListener(oncePerEvent);
        }
    }

    @Override
    public CompletionStage<Void> watch(String traceId) {
        return channels.watch(traceId);
    }

    @Override
    public void unwatch(String traceId) {
        channels.unwatch(traceId);
    }

    /** The store's record of running workflows and agent activity, shared by all instances. */
    public WorkflowActivity workflowActivity() {
        return activity;
    }

    @Override
    public boolean isAvailable() {
        // Redis answers the reader; the live channels reconnect on their own, and fill their gaps.
        return reader.isHealthy();
    }

    @Override
    public String name() {
        return "redis";
    }

    public String instanceId() {
        return settings.instanceId();
    }

    /** Stops reading, removes this instance's heartbeat, and closes the connections. */
    public void shutdown() {
        reader.stop();
        redis.shutdown();
    }

    /**
     * The smallest id after {@code id}, or none. Why not simply the sequence plus one: Redis ids are
     * unsigned 64-bit numbers and a client may resume after any of them, but Redisson writes ids as
     * signed longs; past 2^63 milliseconds no event this service stores can follow.
     */
    private static Optional<StreamMessageId> justAfter(String id) {
        long millis = EntryId.millis(id);
        long sequence = EntryId.sequence(id);
        if (millis < 0) {
            return Optional.empty();
        }
        if (sequence >= 0 && sequence < Long.MAX_VALUE) {
            return Optional.of(new StreamMessageId(millis, sequence + 1));
        }
        return millis < Long.MAX_VALUE ? Optional.of(new StreamMessageId(millis + 1, 0)) : Optional.empty();
    }

    private <T> T call(java.util.function.Supplier<T> command) {
        return RedisCall.call(stats, command);
    }
}
