package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testkit.RedisSentinel;
import io.tracestream.testkit.RedisServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis as Sentinel runs it: a master with a password, two replicas, three sentinels with a
 * password of their own (quorum 2),
 * and two instances that find the master through the sentinels and wait for one replica to have
 * each write before answering 202 ({@code tracestream.redis.min-replicas=1}). Events flow, clients
 * watch on both instances (their streams end every few seconds, so they resume by
 * {@code Last-Event-ID}, on either instance), and the master is killed ({@code kill -9}).
 *
 * <p>Why two replicas: with {@code min-replicas=1} and a single replica, the promoted replica is
 * a master without replicas, and every write is refused until another replica joins. Keeping
 * writes available through a failover takes one replica more than {@code min-replicas}.
 */
class SentinelFailoverIT {

    static final String MASTER_NAME = "mymaster";
    static final String PASSWORD = "redis-test-" + Long.toHexString(System.nanoTime());
    static final String SENTINEL_PASSWORD = "sentinel-test-" + Long.toHexString(System.nanoTime());
    /** The guarantee of the issue: ingest is back this soon after the master died, nothing restarted. */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);
    static final int COST_ROUNDS = 300;
    static final int COST_BATCH = 100;
    static final int COST_BATCH_ROUNDS = 40;

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    static RedisServer master;
    static List<RedisServer> replicas;
    static List<RedisSentinel> sentinels;
    static final List<AutoCloseable> PROCESSES = new ArrayList<>();
    static Resp sentinel;
    static Cluster cluster;
    static Instance acknowledged1;
    static Instance acknowledged2;
    static Instance unacknowledged;

    @BeforeAll
    static void start() {
        master = started(RedisServer.startNew(new RedisServer.Options().password(PASSWORD)));
        replicas = List.of(started(RedisServer.startNew(new RedisServer.Options().password(PASSWORD).replicaOf(master))),
                started(RedisServer.startNew(new RedisServer.Options().password(PASSWORD).replicaOf(master))));
        sentinels = Stream.generate(() -> started(RedisSentinel.start(master, MASTER_NAME, 2, SENTINEL_PASSWORD))).limit(3).toList();
        sentinel = new Resp(() -> sentinels.get(0).port(), SENTINEL_PASSWORD);
        // A failover needs sentinels that know each other and the replicas: they learn it through the master.
        Faults.await(Duration.ofSeconds(30), () -> "the sentinels know both replicas and each other: " + masterInfo(),
                () -> "2".equals(masterInfo().get("num-slaves")) && "2".equals(masterInfo().get("num-other-sentinels")));

        String addresses = sentinels.stream().map(RedisSentinel::address).collect(Collectors.joining(","));
        cluster = Cluster.on(new Resp(SentinelFailoverIT::masterPort, PASSWORD), Map.of(
                "tracestream.redis.sentinels", addresses,
                "tracestream.redis.sentinel.master", MASTER_NAME,
                "tracestream.redis.password", PASSWORD,
                "tracestream.redis.sentinel.password", SENTINEL_PASSWORD,
                "tracestream.redis.min-replicas", "1",
                "tracestream.redis.timeout", "PT1S",
                "tracestream.ingest.retry-after", "PT1S",
                "tracestream.sse.max-lifetime", "PT3S"), PROCESSES);
        acknowledged1 = cluster.newInstance("sf-1", Map.of());
        acknowledged2 = cluster.newInstance("sf-2", Map.of());
        unacknowledged = cluster.newInstance("sf-0", Map.of("tracestream.redis.min-replicas", "0"));
        cluster.awaitReady(List.of(acknowledged1, acknowledged2, unacknowledged));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        } else {
            PROCESSES.forEach(SentinelFailoverIT::close);
        }
    }

    @Test
    void afterTheMasterIsKilledIngestRecoversAloneNoAcknowledgedEventIsLostAndEveryClientGetsEachStoredEventOnce() {
        String cost = minReplicasCost();
        unacknowledged.destroy(); // it only served the comparison: one JVM less on the two cores

        List<String> traces = List.of("sf-a-" + System.nanoTime(), "sf-b-" + System.nanoTime());
        Producer producer = new Producer(cluster, traces, 2, 50, -1);
        traces.forEach(t -> producer.sendBatch(t, 1));
        List<ResumingClient> clients = new ArrayList<>();
        for (String trace : traces) {
            for (int i = 0; i < 4; i++) {
                clients.add(new ResumingClient(cluster, trace, i % 2, true).start());
            }
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        Probe probe = new Probe("sf-probe-" + System.nanoTime());
        producer.start();
        probe.start();
        Faults.sleep(4000);

        int oldMaster = masterPort();
        long killedAt = System.nanoTime();
        master.stop(); // kill -9
        long switchedIn = Faults.awaitMillis(RECOVERY_BOUND, () -> masterPort() != oldMaster);
        assertTrue(switchedIn >= 0, "the sentinels promoted a replica within " + RECOVERY_BOUND + ": " + masterInfo());
        Faults.await(RECOVERY_BOUND, () -> "ingest answered 202 again after the kill: " + probe.answers(),
                () -> probe.firstAcceptedAfter(killedAt) > 0);
        Faults.sleep(4000); // events keep flowing to the new master
        producer.stop();
        probe.stop();
        traces.forEach(producer::sendEnd);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        long recoveredIn = (probe.recoveredAt(killedAt) - killedAt) / 1_000_000;
        // Every event answered 202, by the producer and by the probe, is in the new master's history.
        for (String trace : traces) {
            Checks.assertStoredOnce(cluster, trace, List.of(producer), 0);
        }
        Set<String> probeHistory = new HashSet<>(cluster.resp().ids(cluster.traceKey(probe.trace)));
        List<String> probeLost = probe.acceptedIds().stream().filter(id -> !probeHistory.contains(id)).toList();
        Tally tally = Checks.tally(cluster, clients);
        int reconnects = clients.stream().mapToInt(c -> c.connects() - 1).sum();
        long acknowledged = producer.acceptedCount() + probe.acceptedIds().size();
        FaultReport.add("Sentinel failover: kill -9 of the master (2 replicas, 3 sentinels) under ~80 events/s, min-replicas=1",
                2, producer.acceptedCount(), tally, "ingest answering 202 again " + recoveredIn + " ms after the kill (sentinels "
                        + "switched the master in " + switchedIn + " ms), nothing restarted; " + probe.refused()
                        + " probe POSTs refused meanwhile (" + probe.statuses() + "); every one of the " + acknowledged
                        + " events answered 202 is in the history afterwards (" + probeLost.size() + " lost); "
                        + tally.unexpected() + " seen live but lost with the master (never answered 202); "
                        + reconnects + " resumes by Last-Event-ID; producer " + producer.statuses() + "; " + cost);

        assertTrue(probeLost.isEmpty(), "probe events answered 202 but lost in the failover: " + probeLost);
        assertTrue(recoveredIn <= RECOVERY_BOUND.toMillis(), "ingest back within " + RECOVERY_BOUND + ": " + recoveredIn + " ms");
        assertTrue(Set.of(202, 503).containsAll(producer.statuses().keySet()), producer.summary());
        assertEquals(0, producer.missingRetryAfter(), "every 503 carries Retry-After");
        // Exactly once: nothing stored is missing or twice, nothing out of order. An event the old
        // master fanned out before dying, but that no replica got, was never answered 202 (its
        // producer retried it, and it is stored under a new id): seen live, it is not in the history.
        assertEquals(0, tally.lost(), tally.toString());
        assertEquals(0, tally.duplicated(), tally.toString());
        assertEquals(0, tally.outOfOrder(), tally.toString());
        assertEquals(tally.expected(), tally.received() - tally.unexpected(), tally.toString());
        assertTrue(reconnects >= clients.size(), "the clients resumed by Last-Event-ID: " + reconnects + " reconnects");
    }

    /**
     * What waiting for a replica costs an append: POSTs to an instance with min-replicas=1 and to
     * one with 0, alternated so that a change in the machine's speed hits both, after a warm-up.
     */
    private static String minReplicasCost() {
        String trace = "sf-cost-" + System.nanoTime();
        String one = event();
        String batch = Stream.generate(SentinelFailoverIT::event).limit(COST_BATCH).collect(Collectors.joining(",", "[", "]"));
        for (int i = 0; i < COST_ROUNDS; i++) { // warm-up
            timedPost(acknowledged1, trace, one);
            timedPost(unacknowledged, trace, one);
        }
        List<Long> with = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int i = 0; i < COST_ROUNDS; i++) {
            with.add(timedPost(acknowledged1, trace, one));
            without.add(timedPost(unacknowledged, trace, one));
        }
        List<Long> batchWith = new ArrayList<>();
        List<Long> batchWithout = new ArrayList<>();
        for (int i = 0; i < COST_BATCH_ROUNDS; i++) {
            batchWith.add(timedPost(acknowledged1, trace, batch));
            batchWithout.add(timedPost(unacknowledged, trace, batch));
        }
        return "min-replicas cost, one POST at a time, 1 vs 0: single event p50 " + micros(with, 0.5) + " vs " + micros(without, 0.5)
                + " ms, p99 " + micros(with, 0.99) + " vs " + micros(without, 0.99) + " ms; " + COST_BATCH + " events p50 "
                + micros(batchWith, 0.5) + " vs " + micros(batchWithout, 0.5) + " ms";
    }

    private static String event() {
        return "{\"event_type\":\"task_started\",\"agent_id\":\"a\"}";
    }

    /** Microseconds of a POST that must answer 202. */
    private static long timedPost(Instance i, String trace, String body) {
        long started = System.nanoTime();
        HttpResponse<String> r = post(i, trace, body);
        long took = (System.nanoTime() - started) / 1000;
        assertEquals(202, r.statusCode(), i + ": " + r.body());
        return took;
    }

    private static String micros(List<Long> values, double p) {
        return String.format(java.util.Locale.ROOT, "%.2f", EntryIds.percentile(values, p) / 1000.0);
    }

    private static HttpResponse<String> post(Instance i, String trace, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(i.uri("/traces/" + trace + "/events")).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(i + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the sentinels say the master is. */
    static int masterPort() {
        List<?> address = (List<?>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return Integer.parseInt((String) address.get(1));
    }

    static Map<String, String> masterInfo() {
        List<?> flat = (List<?>) sentinel.call("SENTINEL", "MASTER", MASTER_NAME);
        Map<String, String> info = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            info.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return info;
    }

    /** Remembered, to be stopped with the cluster (or at exit, if the test stops half-way). */
    private static <T extends AutoCloseable> T started(T process) {
        PROCESSES.add(process);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(process), "stop-redis"));
        return process;
    }

    private static void close(AutoCloseable process) {
        try {
            process.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One event every 100 ms, to the two instances in turn, never retried: when each answer came,
     * so the time ingest was away is measured to a tenth of a second, and which ids were answered
     * 202, so none of them may be missing afterwards.
     */
    static final class Probe {
        private static final long PERIOD_MILLIS = 100;

        /** One POST: when it was sent and when its answer came (System.nanoTime()), its status (-1: no answer). */
        record Answer(long sentAt, long at, int status, String id) {}

        final String trace;
        private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private Thread thread;

        Probe(String trace) {
            this.trace = trace;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                int n = 0;
                while (running) {
                    n++;
                    Instance target = cluster.route(n);
                    String body = "{\"event_type\":\"task_started\",\"agent_id\":\"probe\",\"event_id\":\"" + trace + "-" + n + "\"}";
                    int status;
                    String id = null;
                    long sentAt = System.nanoTime();
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(target.uri("/traces/" + trace + "/events"))
                                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        if (status == 202) {
                            int at = r.body().indexOf("\"ids\":[\"") + 8;
                            id = r.body().substring(at, r.body().indexOf('"', at));
                        }
                    } catch (IOException e) {
                        status = -1;
                    } catch (InterruptedException e) {
                        return;
                    }
                    answers.add(new Answer(sentAt, System.nanoTime(), status, id));
                    Faults.sleep(PERIOD_MILLIS);
                }
            }, "probe");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<Answer> answers() {
            synchronized (answers) {
                return List.copyOf(answers);
            }
        }

        /** When the first 202 to a POST sent after {@code since} came; 0 if none yet. */
        long firstAcceptedAfter(long since) {
            return answers().stream().filter(a -> a.sentAt() > since && a.status() == 202).mapToLong(Answer::at).findFirst().orElse(0);
        }

        /** When the first 202 after the last refusal came (the kill itself when nothing was refused). */
        long recoveredAt(long killedAt) {
            List<Answer> all = answers();
            long lastRefused = all.stream().filter(a -> a.at() > killedAt && a.status() != 202).mapToLong(Answer::at).max().orElse(killedAt);
            return all.stream().filter(a -> a.sentAt() > lastRefused && a.status() == 202).mapToLong(Answer::at).findFirst().orElse(lastRefused);
        }

        long refused() {
            return answers().stream().filter(a -> a.status() != 202).count();
        }

        Map<Integer, Long> statuses() {
            return answers().stream().collect(Collectors.groupingBy(Answer::status, java.util.TreeMap::new, Collectors.counting()));
        }

        List<String> acceptedIds() {
            return answers().stream().filter(a -> a.status() == 202).map(Answer::id).toList();
        }
    }
}
