package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracestream.store.NewEvent;
import io.tracestream.store.StoreStats;
import io.tracestream.store.TraceHead;
import io.tracestream.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Which event ended a trace's workflow, as the Redis adapter keeps it (each history entry records
 * it, so the head answers from the last entry alone), against a real redis-server: later events do
 * not hide the end, a new start clears it, and histories written before the record existed are
 * still read (the last event's own type decides, as before).
 */
class WorkflowEndTest {

    private static final String PREFIX = "test-" + UUID.randomUUID();
    private static RedisServer server;
    private static RedissonClient redis;
    private static RedisEventStore store;

    @BeforeAll
    static void start() {
        server = RedisServer.startNew();
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.useSingleServer().setAddress(server.url());
        redis = Redisson.create(config);
        RedisEventStore.Settings settings = new RedisEventStore.Settings(PREFIX, "test-instance",
                10_000, Duration.ofHours(1), 100_000, Duration.ofMinutes(10), 500, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 2, 1000, 0);
        store = new RedisEventStore(redis, settings, r -> {
            Thread t = new Thread(r, "test-fanout-reader");
            t.setDaemon(true);
            return t;
        }, new StoreStats());
    }

    @AfterAll
    static void stop() {
        store.shutdown();
        server.close();
    }

    private static NewEvent event(String type) {
        return new NewEvent(type, "agent", null, "{\"event_type\":\"" + type + "\",\"agent_id\":\"agent\"}");
    }

    private static String append(String trace, String... types) {
        List<String> ids = store.append(trace, java.util.Arrays.stream(types).map(WorkflowEndTest::event).toList()).ids();
        return ids.get(ids.size() - 1);
    }

    @Test
    void theWorkflowsEndIsKnownThoughLaterEventsFollowIt() {
        String trace = "t-" + UUID.randomUUID();
        append(trace, "workflow_started");
        String end = append(trace, "workflow_completed");
        append(trace, "tool_call", "task_completed"); // late children of the root span
        String last = append(trace, "llm_call");

        TraceHead head = store.head(trace).orElseThrow();
        assertEquals(end, head.endId());
        assertEquals(last, head.lastId());
    }

    @Test
    void aWorkflowStartedAgainRunsTillItsNextEnd() {
        String trace = "t-" + UUID.randomUUID();
        append(trace, "workflow_started", "workflow_failed", "workflow_started");
        assertNull(store.head(trace).orElseThrow().endId());
        String end = append(trace, "task_completed", "workflow_completed");
        assertEquals(end, store.head(trace).orElseThrow().endId());
    }

    @Test
    void aHistoryWrittenBeforeTheEndWasRecordedIsStillRead() {
        String trace = "t-" + UUID.randomUUID();
        // As the previous version's script wrote its entries: no 'wf' field.
        String key = new RedisKeys(PREFIX).trace(trace);
        redis.getStream(key, StringCodec.INSTANCE).add(org.redisson.api.stream.StreamAddArgs.entries(
                java.util.Map.of("type", "workflow_completed", "agent", "agent", "prev", "", "json", "{}")));
        String oldEnd = store.head(trace).orElseThrow().lastId();
        assertEquals(oldEnd, store.head(trace).orElseThrow().endId(), "the last event ends the workflow");

        append(trace, "tool_call");
        assertEquals(oldEnd, store.head(trace).orElseThrow().endId(), "an append after it carries the old end on");
    }
}
