package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three instances on one Redis: fan-out across instances, idempotent retries, an instance killed
 * with {@code kill -9} under load, and a reconnect storm of 2,000 clients. One cluster serves
 * all four; the destructive tests run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceFaultsIT {

    static final Duration FINISH = Duration.ofSeconds(90);
    /** Streams each survivor opens and closes before the reconnect storm (see the storm test). */
    static final int WARMUP_STREAMS = 3000;
    /** The storm test's bound on ingest p99: the measured figure (the fault table of docs/operations.md) with margin. */
    static final long STORM_INGEST_P99_MILLIS = 2000;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("mi", 3, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void clientsOnEveryInstanceReceiveEachEventOfATraceOnceInHistoryOrderWhileThreeInstancesIngestIntoItConcurrently() {
        String trace = "fanout-" + System.nanoTime();
        Producer opener = new Producer(cluster, List.of(trace), 1, 0, 0);
        opener.sendBatch(trace, 1);
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(new ResumingClient(cluster, trace, i % 3).start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));

        // One producer per instance, all into the same trace at once: ~300 events/s for 5 s.
        List<Producer> producers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            producers.add(new Producer(cluster, List.of(trace), 5, 50, i).start());
        }
        Faults.sleep(5000);
        producers.forEach(Producer::stop);
        opener.sendEnd(trace);
        Checks.awaitAllFinished(clients, FINISH);

        Tally tally = Checks.tally(cluster, clients);
        long sent = producers.stream().mapToLong(Producer::acceptedCount).sum() + 2;
        FaultReport.add("Fan-out: 3 instances ingest concurrently into one trace", 3, sent, tally,
                "2 clients per instance; " + producers.get(0).summary());
        Checks.assertPerfect(tally, clients);
        List<Producer> all = new ArrayList<>(producers);
        all.add(opener);
        Checks.assertStoredOnce(cluster, trace, all, 0);
        assertTrue(producers.stream().allMatch(p -> p.acceptedCount() > 100), "each instance ingested events");
        for (ResumingClient c : clients) {
            assertEquals(1, c.connects(), "one connection sufficed, no reconnect hid a problem: " + c.log());
            assertEquals("end", c.finishedBy());
        }
        // The summary is folded from the one history: every instance gives the same answer.
        String summary = cluster.get(0).api().get("traces/" + trace).body();
        assertTrue(summary.contains("\"status\":\"completed\""), summary);
        for (int i = 1; i < 3; i++) {
            assertEquals(summary, cluster.get(i).api().get("traces/" + trace).body(), "summary from instance " + i);
        }
        // The shared group read and acknowledged everything (nothing pending), and no instance has a
        // group of its own: each hears of the events of the traces its clients stream only.
        Faults.await(Duration.ofSeconds(10), () -> "shared group without pending entries: " + cluster.fanoutGroups(),
                () -> cluster.fanoutGroups().keySet().equals(Set.of("workflows"))
                        && ((Long) cluster.fanoutGroups().get("workflows").get("pending")) == 0);
    }

    @Test
    @Order(2)
    void aRetriedEventIdIsStoredOnceAndAnsweredWithTheOriginalIdOnAnyInstanceEvenConcurrently() {
        String trace = "dedup-" + System.nanoTime();
        Api i1 = cluster.get(0).api();
        Api i2 = cluster.get(1).api();
        Api i3 = cluster.get(2).api();
        String first = event("retry-1");
        String original = i1.append(trace, "[" + first + "]").get(0);
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new ResumingClient(cluster, trace, i).start());
        }
        for (Api api : List.of(i1, i2, i3)) {
            HttpResponse<String> retry = api.post("traces/" + trace + "/events", "[" + first + "]");
            assertEquals(202, retry.statusCode(), retry.body());
            assertEquals(List.of(original), ids(retry), "a retry is answered with the original id");
            assertEquals(1, Api.json(retry).getInt("duplicates"));
        }
        // The same new event_id sent to the three instances at the same moment, three times each.
        String second = event("retry-2");
        List<CompletableFuture<List<String>>> racing = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (Api api : List.of(i1, i2, i3)) {
                racing.add(CompletableFuture.supplyAsync(() -> api.append(trace, "[" + second + "]")));
            }
        }
        Set<String> answers = new HashSet<>();
        racing.forEach(f -> answers.addAll(f.join()));
        assertEquals(1, answers.size(), "every racing retry answered with one id: " + answers);
        // A batch mixing a retry and a new event: the retry is not stored again, the new one is.
        HttpResponse<String> mixed = i2.post("traces/" + trace + "/events", "[" + first + "," + event("retry-3") + "]");
        assertEquals(202, mixed.statusCode(), mixed.body());
        assertEquals(original, ids(mixed).get(0));
        assertEquals(1, Api.json(mixed).getInt("duplicates"));
        String end = i3.append(trace, "[{\"event_type\":\"workflow_completed\",\"agent_id\":\"o\",\"event_id\":\"retry-end\"}]").get(0);

        Checks.awaitAllFinished(clients, FINISH);
        List<String> history = cluster.resp().ids(cluster.traceKey(trace));
        assertEquals(List.of(original, answers.iterator().next(), ids(mixed).get(1), end), history,
                "4 events stored for 4 event_ids, whatever the retries");
        Tally tally = Checks.tally(cluster, clients);
        FaultReport.add("Idempotent retries: 1 + 3 + 9 + 2 posts of 4 event_ids over 3 instances", 3, 4, tally,
                "every retry answered with the original id; racing retries stored once");
        Checks.assertPerfect(tally, clients);
    }

    @Test
    @Order(3)
    void workReadButNeverAcknowledgedByAConsumerThatDiedIsClaimedByTheSurvivorsCountedOnceAndTheConsumerRemoved() {
        // A consumer of the shared group that takes entries and dies before acknowledging them, as a
        // killed instance does: played here by hand so the test knows exactly what it took.
        String ghost = "ghost-" + System.nanoTime();
        double before = workflowsStarted();
        int posted = 0;
        long taken = 0;
        for (int attempt = 0; attempt < 20 && taken == 0; attempt++) {
            String trace = "claim-" + attempt + "-" + System.nanoTime();
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 20; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"event_type\":\"workflow_started\",\"agent_id\":\"o\"}");
            }
            cluster.get(0).api().append(trace, batch.append(']').toString());
            posted += 20;
            // The instances read the shared group every 100 ms: the ghost, reading at once, takes some first.
            Object got = cluster.resp().call("XREADGROUP", "GROUP", "workflows", ghost, "COUNT", "1000",
                    "STREAMS", cluster.fanoutKey(), ">");
            taken = got instanceof List<?> streams && !streams.isEmpty()
                    ? ((List<?>) ((List<?>) streams.get(0)).get(1)).size() : 0;
        }
        assertTrue(taken > 0, "the ghost consumer took entries of the shared group");
        long takenByGhost = taken;
        assertEquals(takenByGhost, ghostPending(ghost), "pending for the ghost, never acknowledged");

        // claim-idle is 5 s here: a survivor claims them (XAUTOCLAIM), counts them, and removes the ghost.
        Faults.await(Duration.ofSeconds(30), () -> "the ghost's " + takenByGhost + " entries claimed; pending " + ghostPending(ghost),
                () -> ghostPending(ghost) <= 0);
        int expected = posted;
        Faults.await(Duration.ofSeconds(15), () -> "workflows_started counted once each: " + (workflowsStarted() - before)
                + " of " + expected, () -> workflowsStarted() - before == expected);
        Faults.await(Duration.ofSeconds(15), () -> "ghost consumer removed from the shared group",
                () -> ghostPending(ghost) < 0);
        Faults.sleep(1000);
        assertEquals(expected, workflowsStarted() - before, 0.0, "and not counted twice");
    }

    /** The ghost's pending entries in the shared group, or -1 once it is no longer a consumer. */
    private static long ghostPending(String ghost) {
        Object consumers = cluster.resp().call("XINFO", "CONSUMERS", cluster.fanoutKey(), "workflows");
        for (Object c : (List<?>) consumers) {
            List<?> fields = (List<?>) c;
            if (ghost.equals(String.valueOf(fields.get(1)))) {
                return ((Number) fields.get(3)).longValue();
            }
        }
        return -1;
    }

    /** Workflows counted by all instances together, as Prometheus would sum them. */
    private static double workflowsStarted() {
        return cluster.up().stream().mapToDouble(i -> i.metric("application", "tracestream_workflows_started_total")).sum();
    }

    @Test
    @Order(4)
    void anInstanceKilledMidLoadLosesNothingItsClientsResumeOnSurvivorsAndItsConsumerIsRemoved() {
        Instance victim = cluster.get(2);
        assertTrue(cluster.sharedConsumers().containsKey(victim.name()), "consumers: " + cluster.sharedConsumers().keySet());
        List<String> traces = IntStream.range(0, 4).mapToObj(i -> "kill-" + i + "-" + System.nanoTime()).toList();
        Producer producer = new Producer(cluster, traces, 2, 40, -1);
        traces.forEach(t -> producer.sendBatch(t, 1));
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            clients.add(new ResumingClient(cluster, traces.get(i % traces.size()), i % 3).start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        List<ResumingClient> victims = clients.stream().filter(c -> c.current() == victim).toList();
        assertEquals(8, victims.size());

        producer.start();
        Faults.sleep(3000);
        victim.kill();
        long killedAt = System.nanoTime();
        Faults.sleep(4000);
        producer.stop();
        traces.forEach(producer::sendEnd);
        Checks.awaitAllFinished(clients, FINISH);
        long reconnectMillis = victims.stream().mapToLong(c -> (c.connectedAtNanos() - killedAt) / 1_000_000).max().orElse(0);

        Tally tally = Checks.tally(cluster, clients);
        FaultReport.add("kill -9 of 1 of 3 instances at ~200 events/s", 3, producer.acceptedCount(), tally,
                "8 of 24 clients on the killed instance resumed on survivors (last within " + reconnectMillis
                        + " ms); producer: " + producer.summary());
        Checks.assertPerfect(tally, clients);
        traces.forEach(t -> Checks.assertStoredOnce(cluster, t, List.of(producer), 0));
        for (ResumingClient c : victims) {
            assertTrue(c.connects() >= 2, "resumed: " + c.log());
            assertNotEquals(victim, c.current());
        }

        // The dead instance's consumer goes once its heartbeat expired (instance-ttl 5 s) and its
        // unacknowledged entries were claimed by a survivor.
        Faults.await(Duration.ofSeconds(60), () -> "consumer " + victim.name() + " removed; consumers "
                + cluster.sharedConsumers().keySet(), () -> !cluster.sharedConsumers().containsKey(victim.name()));
        assertTrue(Set.of(cluster.get(0).name(), cluster.get(1).name()).containsAll(cluster.sharedConsumers().keySet()),
                "consumers: " + cluster.sharedConsumers().keySet());
        // A restart (a new instance id, as a restarted pod gets) adds at most one consumer (Redis
        // makes a consumer when it is first given entries): Redis does not grow per restart.
        Instance replacement = cluster.replace(victim);
        List<String> later = List.of("after-kill-" + System.nanoTime());
        Producer after = new Producer(cluster, later, 2, 40, -1);
        for (int i = 0; i < 10; i++) {
            after.sendBatch(later.get(0), 1);
        }
        Set<String> live = Set.of(cluster.get(0).name(), cluster.get(1).name(), replacement.name());
        Faults.await(Duration.ofSeconds(10), () -> "no group of its own, and only live consumers: "
                + cluster.fanoutGroups().keySet() + " " + cluster.sharedConsumers().keySet(),
                () -> cluster.fanoutGroups().keySet().equals(Set.of("workflows"))
                        && live.containsAll(cluster.sharedConsumers().keySet())
                        && ((Long) cluster.fanoutGroups().get("workflows").get("pending")) == 0);
        assertEquals(0, cluster.resp().number("EXISTS", "tracestream:instance:" + victim.name()), "heartbeat key expired");
    }

    @Test
    @Order(5)
    void twoThousandClientsDroppedAtOnceReconnectWithinSecondsEachEndsCompleteAndIngestStaysResponsive() {
        Instance victim = cluster.up().get(cluster.up().size() - 1);
        int victimIndex = cluster.instances().indexOf(victim);
        List<String> traces = IntStream.range(0, 20).mapToObj(i -> "storm-" + i + "-" + System.nanoTime()).toList();
        Producer producer = new Producer(cluster, traces, 1, 200, -1);
        traces.forEach(t -> producer.sendBatch(t, 1));
        List<ResumingClient> clients = new ArrayList<>();
        for (int wave = 0; wave < 8; wave++) {
            for (int i = 0; i < 250; i++) {
                clients.add(new ResumingClient(cluster, traces.get(clients.size() % traces.size()), victimIndex).start());
            }
            Faults.await(Duration.ofSeconds(60), () -> clients.stream().filter(ResumingClient::connected).count()
                    + " of " + clients.size() + " connected", () -> clients.stream().allMatch(ResumingClient::connected));
        }
        assertEquals(2000, victim.openStreams());
        producer.start();
        // The survivors have served dashboards too, as every instance behind a load balancer does
        // once the cluster has run a while: their stream path is compiled. (A cold JVM spends most
        // of a storm's CPU compiling it; that is the start-up case, not this one.)
        for (Instance survivor : cluster.up()) {
            if (survivor != victim) {
                assertEquals(WARMUP_STREAMS, StreamWarmup.openAndClose(survivor, traces.get(0), WARMUP_STREAMS));
            }
        }
        Faults.sleep(2000);

        String probeTrace = "storm-probe-" + System.nanoTime();
        Producer probe = new Producer(cluster, List.of(probeTrace), 1, 100, -1);
        victim.kill();
        long killedAt = System.nanoTime();
        probe.start();
        long allBack = Faults.awaitMillis(Duration.ofSeconds(60),
                () -> clients.stream().allMatch(c -> c.connected() && c.connectedAtNanos() > killedAt));
        Faults.sleep(2000);
        probe.stop();
        producer.stop();
        traces.forEach(producer::sendEnd);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(120));

        Tally tally = Checks.tally(cluster, clients);
        FaultReport.add("Reconnect storm: 2,000 clients of a killed instance", 3, producer.acceptedCount(), tally,
                "all reconnected in " + allBack + " ms; ingest during the storm: " + probe.summary());
        assertTrue(allBack >= 0, "all 2,000 clients reconnected within 60 s: "
                + clients.stream().filter(c -> !(c.connected() && c.connectedAtNanos() > killedAt)).count() + " did not");
        Checks.assertPerfect(tally, clients);
        assertEquals(Set.of(202), probe.statuses().keySet(), "ingest during the storm: " + probe.summary());
        assertTrue(probe.latencyPercentile(0.99) < STORM_INGEST_P99_MILLIS, "ingest p99 during the storm under "
                + STORM_INGEST_P99_MILLIS + " ms: " + probe.summary());
        assertFalse(clients.stream().anyMatch(c -> c.current() == victim));
    }

    private static String event(String eventId) {
        return "{\"event_type\":\"task_started\",\"agent_id\":\"a\",\"event_id\":\"" + eventId + "\"}";
    }

    private static List<String> ids(HttpResponse<String> response) {
        return Api.json(response).getJsonArray("ids").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }
}
