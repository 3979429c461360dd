package io.tracestream.store.redis;

import io.tracestream.store.StoreStats;
import io.tracestream.store.WorkflowActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.redisson.api.RMap;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Running workflows ({@code <prefix>:running}, a sorted set scored by start time) and agent
 * activity ({@code <prefix>:agents}, a hash of agent to last event time), shared by all instances.
 */
final class RedisWorkflowActivity implements WorkflowActivity {

    /** Running workflows reported at most, so a flood of never-ending workflows stays cheap to scrape. */
    private static final int MAX_RUNNING = 10_000;
    private static final LuaScript AGENTS_SEEN = new LuaScript("agents-seen.lua");

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final Duration ttl;
    private final StoreStats stats;

    RedisWorkflowActivity(RedissonClient redis, RedisKeys keys, Duration ttl, StoreStats stats) {
        this.stats = stats;
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
    }

    @Override
    public void started(String traceId, long atMillis) {
        call(() -> runningSet().add((double) atMillis, traceId));
    }

    @Override
    public OptionalLong ended(String traceId) {
        Double started = call(() -> runningSet().getScore(traceId));
        call(() -> runningSet().remove(traceId));
        return started == null ? OptionalLong.empty() : OptionalLong.of(started.longValue());
    }

    @Override
    public void agentsSeen(Map<String, Long> lastEventMillisByAgent) {
        if (lastEventMillisByAgent.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>(lastEventMillisByAgent.size() * 2);
        lastEventMillisByAgent.forEach((agent, at) -> {
            args.add(agent);
            args.add(Long.toString(at));
        });
        call(() -> AGENTS_SEEN.run(redis, List.of(keys.agents()), args.toArray()));
    }

    @Override
    public List<Running> running() {
        Collection<ScoredEntry<String>> entries = call(() -> runningSet().entryRange(0, MAX_RUNNING - 1));
        if (entries.isEmpty()) {
            return List.of();
        }
        List<String> traceIds = entries.stream().map(ScoredEntry::getValue).toList();
        RScoredSortedSet<String> index = redis.getScoredSortedSet(keys.traceIndex(), StringCodec.INSTANCE);
        List<Double> lastEvents = call(() -> index.getScore(traceIds));
        List<Running> out = new ArrayList<>(entries.size());
        int i = 0;
        for (ScoredEntry<String> e : entries) {
            Double last = lastEvents.get(i++);
            if (last == null) {
                call(() -> runningSet().remove(e.getValue())); // the trace expired
            } else {
                out.add(new Running(e.getValue(), e.getScore().longValue(), last.longValue()));
            }
        }
        return out;
    }

    @Override
    public Map<String, Long> agentsLastSeen() {
        Map<String, String> all = call(() -> agents().readAllMap());
        long oldest = System.currentTimeMillis() - ttl.toMillis();
        Map<String, Long> out = new HashMap<>();
        all.forEach((agent, at) -> {
            long millis = Long.parseLong(at);
            if (millis < oldest) {
                call(() -> agents().fastRemove(agent));
            } else {
                out.put(agent, millis);
            }
        });
        return out;
    }

    private RScoredSortedSet<String> runningSet() {
        return redis.getScoredSortedSet(keys.running(), StringCodec.INSTANCE);
    }

    private RMap<String, String> agents() {
        return redis.getMap(keys.agents(), StringCodec.INSTANCE);
    }

    private <T> T call(java.util.function.Supplier<T> command) {
        return RedisCall.call(stats, command);
    }
}
