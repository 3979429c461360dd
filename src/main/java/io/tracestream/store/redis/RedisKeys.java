package io.tracestream.store.redis;

/**
 * The names of everything Trace Stream keeps in Redis, all under one prefix so several
 * deployments can share a Redis. README.md's architecture section explains each.
 */
record RedisKeys(String prefix) {

    /** A trace's history: a stream, capped and expiring. */
    String trace(String traceId) {
        return prefix + ":trace:" + traceId;
    }

    /** The stream every instance reads, through its own consumer group, to hear of new events. */
    String fanout() {
        return prefix + ":fanout";
    }

    /** Every trace by last activity: a sorted set scored by epoch ms, for listing traces. */
    String traceIndex() {
        return prefix + ":traces";
    }

    /** Running workflows: a sorted set scored by start time (epoch ms). */
    String running() {
        return prefix + ":running";
    }

    /** When each agent was last heard from: a hash of agent id to epoch ms. */
    String agents() {
        return prefix + ":agents";
    }

    /** Prefix of the keys remembering producers' {@code event_id}s of one trace. */
    String dedupPrefix(String traceId) {
        return prefix + ":dedup:" + traceId + ":";
    }

    /** An instance's heartbeat; when it expires, the instance is gone and its group is removed. */
    String instance(String instanceId) {
        return prefix + ":instance:" + instanceId;
    }

    /** The consumer group through which one instance reads the fan-out stream. */
    static String instanceGroup(String instanceId) {
        return INSTANCE_GROUP_PREFIX + instanceId;
    }

    static final String INSTANCE_GROUP_PREFIX = "instance:";

    /** The group all instances share, so each event is handled once (workflow metrics). */
    static final String SHARED_GROUP = "workflows";
}
