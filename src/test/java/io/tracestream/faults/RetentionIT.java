package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention on three instances: each trace keeps about {@code max-events} (100 here), expires
 * {@code ttl} (4 s here) after its last event, and the fan-out stream stays near
 * {@code fanout-max-len} (500 here) however many events pass, so Redis memory is bounded.
 */
class RetentionIT {

    static final int MAX_EVENTS = 100;
    static final int FANOUT_MAX = 500;
    static final Duration TTL = Duration.ofSeconds(4);
    /** Approximate trimming (MAXLEN ~) removes whole macro nodes of 100 entries (stream-node-max-entries). */
    static final int NODE = 100;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("rt", 3, Map.of(
                "tracestream.trace.max-events", Integer.toString(MAX_EVENTS),
                "tracestream.trace.ttl", "PT" + TTL.toSeconds() + "S",
                "tracestream.redis.fanout-max-len", Integer.toString(FANOUT_MAX)));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTraceKeepsAboutMaxEventsAndAResumeFromATrimmedIdGetsHistoryTruncatedAndXReplayFrom() {
        String trace = "cap-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 50, 0, -1);
        String firstId = producer.sendBatch(trace, 50).get(0);
        for (int k = 1; k < 20; k++) {
            producer.sendBatch(trace, 50);
        }
        String key = cluster.traceKey(trace);
        long length = cluster.resp().number("XLEN", key);
        assertTrue(length >= MAX_EVENTS && length < MAX_EVENTS + NODE, "1000 events appended, " + length + " kept (cap ~" + MAX_EVENTS + ")");
        List<String> retained = cluster.resp().ids(key);
        List<String> accepted = producer.acceptedIds(trace);
        assertEquals(accepted.subList(accepted.size() - retained.size(), accepted.size()), retained, "the newest are kept");

        try (SseClient resumed = SseClient.open(cluster.get(1).uri("/traces/" + trace + "/stream"), Map.of("Last-Event-ID", firstId))) {
            assertEquals(200, resumed.status());
            assertEquals(retained.get(0), resumed.response().headers().firstValue("X-Replay-From").orElse(null), "X-Replay-From");
            List<Message> got = resumed.take(1 + retained.size(), Duration.ofSeconds(10));
            Message truncated = got.get(0);
            assertEquals("history-truncated", truncated.event(), "first a named history-truncated event: " + truncated);
            assertTrue(truncated.data().contains("\"requested_after\":\"" + firstId + "\""), truncated.data());
            assertTrue(truncated.data().contains("\"replay_from\":\"" + retained.get(0) + "\""), truncated.data());
            assertEquals(retained, got.subList(1, got.size()).stream().map(Message::id).toList(), "then the retained history");
        }
        // A resume point that is still retained: no warning, the replay starts right after it.
        try (SseClient resumed = SseClient.open(cluster.get(2).uri("/traces/" + trace + "/stream"), Map.of("Last-Event-ID", retained.get(10)))) {
            assertEquals(200, resumed.status());
            assertTrue(resumed.response().headers().firstValue("X-Replay-From").isEmpty());
            List<Message> got = resumed.take(retained.size() - 11, Duration.ofSeconds(10));
            assertEquals(retained.subList(11, retained.size()), got.stream().map(Message::id).toList());
        }
        FaultReport.add("Per-trace cap 100: 1,000 events appended, resume from the first", 3, 1000,
                new Tally(1, retained.size(), retained.size(), 0, 0, 0, 0),
                length + " kept (MAXLEN ~); history-truncated + X-Replay-From " + retained.get(0) + ", then the " + retained.size() + " retained");
    }

    @Test
    void anIdleTraceExpiresAfterItsTtlAndAnswers404WhileATraceStillWrittenToStays() {
        String idle = "idle-" + System.nanoTime();
        String busy = "busy-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(idle, busy), 1, 0, -1);
        producer.sendBatch(idle, 3);
        for (int k = 0; k < 7; k++) {
            producer.sendBatch(busy, 1);
            Faults.sleep(1000);
        }
        // The idle trace's last event was 7 s ago (TTL 4 s); the busy one was written every second.
        for (Instance i : cluster.instances()) {
            assertEquals(404, i.status("/traces/" + idle + "/stream"), "expired trace on " + i);
        }
        assertEquals(0, cluster.resp().number("EXISTS", cluster.traceKey(idle)), "the expired history is gone from Redis");
        assertEquals(producer.acceptedIds(busy), cluster.resp().ids(cluster.traceKey(busy)), "the busy trace keeps every event");
        ResumingClient late = new ResumingClient(cluster, busy, 1).start();
        Faults.await(Duration.ofSeconds(10), () -> "history of the busy trace", () -> late.received() == 7);
        late.close();
        assertEquals(producer.acceptedIds(busy), late.ids());
        long ttl = cluster.resp().number("PTTL", cluster.traceKey(busy));
        assertTrue(ttl > 0 && ttl <= TTL.toMillis(), "the TTL is refreshed by each append: " + ttl);
    }

    @Test
    void theFanoutStreamStaysNearItsCapSoRedisMemoryIsBoundedUnderConstantLoad() {
        List<String> traces = IntStream.range(0, 10).mapToObj(i -> "load-" + i + "-" + System.nanoTime()).toList();
        Producer producer = new Producer(cluster, traces, 3, 100, -1);
        traces.forEach(t -> producer.sendBatch(t, 1));
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new ResumingClient(cluster, traces.get(0), i).start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        producer.start();
        List<long[]> samples = new ArrayList<>(); // accepted, XLEN, MEMORY USAGE, used_memory
        // At least 12 s, and until enough events passed to need trimming several times over (a
        // loaded machine posts more slowly): the figures are taken per second either way.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (samples.size() < 12 || (producer.acceptedCount() <= 4L * FANOUT_MAX && System.nanoTime() < deadline)) {
            Faults.sleep(1000);
            samples.add(new long[] {producer.acceptedCount(), cluster.resp().number("XLEN", cluster.fanoutKey()),
                    cluster.resp().number("MEMORY", "USAGE", cluster.fanoutKey()), cluster.resp().usedMemory()});
        }
        producer.stop();
        String end = producer.sendEnd(traces.get(0));
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        long maxLength = samples.stream().mapToLong(a -> a[1]).max().orElse(0);
        // Once the stream reached its cap, its memory must stop growing with the events that pass.
        List<long[]> atCap = samples.stream().filter(a -> a[0] > 2L * FANOUT_MAX).toList();
        long firstAtCap = atCap.isEmpty() ? 0 : atCap.get(0)[2];
        long maxAtCap = atCap.stream().mapToLong(a -> a[2]).max().orElse(0);
        List<String> expected = new ArrayList<>(producer.acceptedIds(traces.get(0)));
        Tally tally = Tally.ZERO;
        for (ResumingClient c : clients) {
            tally = tally.plus(Tally.of(expected, c.ids()));
        }
        FaultReport.add("Fan-out cap 500 under ~" + producer.acceptedCount() / samples.size() + " events/s for " + samples.size()
                        + " s, per-trace cap 100, TTL 4 s", 3,
                producer.acceptedCount(), tally, "fan-out XLEN max " + maxLength + "; MEMORY USAGE " + firstAtCap + " -> max "
                        + maxAtCap + " B; Redis used_memory " + samples.get(0)[3] + " -> " + samples.get(samples.size() - 1)[3]
                        + " B; 3 clients of one trace got all its events live although its history kept " + MAX_EVENTS);

        assertTrue(producer.acceptedCount() > 3 * FANOUT_MAX, "enough events to need trimming: " + producer.summary());
        assertTrue(maxLength <= FANOUT_MAX + NODE, "fan-out stream length stays near its cap: " + maxLength);
        assertTrue(atCap.size() >= 3, "samples at the cap: " + atCap.size());
        assertTrue(maxAtCap <= firstAtCap * 3 / 2, "fan-out memory bounded: " + firstAtCap + " -> " + maxAtCap);
        assertTrue(tally.perfect(), "live clients of a capped trace still got every event: " + tally);
        assertTrue(clients.stream().allMatch(c -> c.ids().get(c.ids().size() - 1).equals(end)));
    }
}
