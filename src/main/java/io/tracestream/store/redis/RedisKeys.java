package io.tracestream.store.redis;

/**
 * The names of everything Trace Stream keeps in Redis, all under one prefix so several
 * deployments can share a Redis. docs/architecture.md ("What is in Redis, and why") explains each.
 */
record RedisKeys(String prefix) {

    /** A trace's history: a stream, capped and expiring. */
    String trace(String traceId) {
        return prefix + ":trace:" + traceId;
    }

    /** Every new event, in one stream, for the work done once per event (the shared consumer group). */
    String fanout() {
        return prefix + ":fanout";
    }

    /** The pub/sub channel on which a trace's new events are published, for the instances watching it. */
    String liveChannel(String traceId) {
        return prefix + ":live:" + traceId;
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

    /** The content of a trace's calls: a hash of event id to the content's JSON, expiring with the trace. */
    String content(String traceId) {
        return prefix + ":content:" + traceId;
    }

    /** Prefix of the keys remembering producers' {@code event_id}s of one trace. */
    String dedupPrefix(String traceId) {
        return prefix + ":dedup:" + traceId + ":";
    }

    /** An instance's heartbeat; when it expires, the instance is gone and its consumer is removed. */
    String instance(String instanceId) {
        return prefix + ":instance:" + instanceId;
    }

    /**
     * The prefix of the consumer groups through which each instance read every event before
     * events were routed per trace: removed once their instance is gone (after an upgrade).
     */
    static final String INSTANCE_GROUP_PREFIX = "instance:";

    /** The group all instances share, so each event is handled once (workflow metrics). */
    static final String SHARED_GROUP = "workflows";
}
