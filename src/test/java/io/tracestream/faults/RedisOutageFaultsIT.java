package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Redis unreachable (the process frozen with SIGSTOP: connections hang, nothing is lost) and
 * Redis restarted (killed and started again empty: no persistence), under three instances with
 * clients and producers. Ingest must never answer 202 for an event it did not store, readiness
 * must say when Redis is gone, and the instances must recover by themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisOutageFaultsIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("ro", 3, Map.of("tracestream.redis.timeout", "PT1S"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            signalRedis("CONT");
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void whileRedisIsUnreachableIngestAnswers503WithRetryAfterReadinessIsDownAndEveryAcceptedEventIsDelivered() {
        String trace = "freeze-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 2, 40, -1);
        producer.sendBatch(trace, 1);
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(new ResumingClient(cluster, trace, i % 3).start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        // Events without event_id are never retried: each must be stored at most once.
        OneShots oneShots = new OneShots(trace);
        producer.start();
        oneShots.start();
        Faults.sleep(2000);

        int before503 = producer.count(503);
        signalRedis("STOP");
        Map<String, Integer> readyDuringOutage = new HashMap<>();
        long readyDownIn;
        try {
            readyDownIn = Faults.awaitMillis(Duration.ofSeconds(20), () -> {
                cluster.instances().forEach(i -> readyDuringOutage.put(i.name(), i.status("/health/ready")));
                return readyDuringOutage.values().stream().allMatch(s -> s == 503);
            });
            Faults.sleep(3000);
        } finally {
            signalRedis("CONT");
        }
        long readyUpIn = Faults.awaitMillis(Duration.ofSeconds(30),
                () -> cluster.instances().stream().allMatch(i -> i.status("/health/ready") == 200));
        Faults.sleep(2000);
        producer.stop();
        oneShots.stop();
        producer.sendEnd(trace);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        Tally tally = Checks.tally(cluster, clients);
        List<String> history = cluster.resp().field(cluster.traceKey(trace), "json");
        List<Integer> oneShotNumbers = history.stream().map(RedisOutageFaultsIT::oneShot).filter(n -> n != null).toList();
        long oneShotsStored = oneShotNumbers.size();
        long oneShotsStoredTwice = oneShotsStored - Set.copyOf(oneShotNumbers).size();
        long stored503 = oneShots.refusedIds().stream().filter(oneShotNumbers::contains).count();
        int brokenStreams = clients.stream().mapToInt(ResumingClient::brokenEnds).sum();
        int endedStreams = clients.stream().mapToInt(ResumingClient::cleanEnds).sum();
        FaultReport.add("Redis unreachable (SIGSTOP) ~5 s under ~50 events/s", 3, producer.acceptedCount() + oneShots.accepted(), tally,
                "503s during the outage: " + (producer.count(503) - before503) + " (all with Retry-After: "
                        + (producer.missingRetryAfter() == 0) + "); readiness 503 after " + readyDownIn + " ms, 200 again "
                        + readyUpIn + " ms after; streams: " + endedStreams + " ended cleanly, " + brokenStreams + " broke; "
                        + "un-retried events answered 503 yet stored later: " + stored503 + " of " + oneShots.refused());

        assertTrue(readyDownIn >= 0, "/health/ready answered 503 on every instance while Redis was unreachable: " + readyDuringOutage);
        assertTrue(readyUpIn >= 0, "every instance ready again by itself");
        assertTrue(producer.count(503) > before503, "ingest answered 503 during the outage: " + producer.summary());
        assertEquals(0, producer.missingRetryAfter(), "every 503 carries Retry-After");
        assertTrue(Set.of(202, 503).containsAll(producer.statuses().keySet()), producer.summary());
        assertTrue(Set.of(202, 503).containsAll(oneShots.statuses()), "one-shot statuses " + oneShots.statuses());
        Checks.assertPerfect(tally, clients);
        Checks.assertStoredOnce(cluster, trace, List.of(producer), (int) oneShotsStored);
        assertTrue(oneShots.acceptedIds().stream().allMatch(cluster.resp().ids(cluster.traceKey(trace))::contains),
                "every one-shot event answered 202 is stored");
        assertEquals(0, oneShotsStoredTwice, "an event sent once is stored at most once");
    }

    @Test
    @Order(2)
    void afterRedisRestartsEmptyInstancesReconnectByThemselvesAndClientsGetEveryEventStoredAfterwards() {
        String trace = "restart-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 1, 0, -1);
        producer.sendBatch(trace, 1);
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(new ResumingClient(cluster, trace, i % 3).retryOn404().start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        for (int k = 0; k < 20; k++) {
            producer.sendBatch(trace, 1);
        }
        List<String> beforeCrash = cluster.resp().ids(cluster.traceKey(trace));
        Faults.await(Duration.ofSeconds(20), () -> "clients got the first 21 events",
                () -> clients.stream().allMatch(c -> c.received() == beforeCrash.size()));

        cluster.redis().stop();
        long stoppedAt = System.nanoTime();
        // Ingest refuses, fast, with Retry-After; nothing answers 202.
        for (Instance i : cluster.instances()) {
            long started = System.nanoTime();
            HttpResponse<String> refused = post(i, trace);
            long took = Faults.elapsedMillis(started);
            assertEquals(503, refused.statusCode(), i + ": " + refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on " + i);
            assertTrue(took < 5000, "answered within 5 s, not after a long retry budget: " + took + " ms");
        }
        long readyDownIn = Faults.awaitMillis(Duration.ofSeconds(20),
                () -> cluster.instances().stream().allMatch(i -> i.status("/health/ready") == 503));
        assertTrue(readyDownIn >= 0, "readiness down on every instance while Redis is down");
        List<Integer> open = cluster.instances().stream().map(RedisOutageFaultsIT::openStreams).toList();
        String openDuringOutage = open.contains(-1) ? "? (/metrics did not show tracestream_sse_streams_open within 5 s)"
                : Integer.toString(open.stream().mapToInt(Integer::intValue).sum());

        cluster.redis().start();
        long readyUpIn = Faults.awaitMillis(Duration.ofSeconds(40),
                () -> cluster.instances().stream().allMatch(i -> i.status("/health/ready") == 200));
        assertTrue(readyUpIn >= 0, "every instance ready again by itself after Redis came back");
        Faults.await(Duration.ofSeconds(20), () -> "the shared group made again: " + cluster.fanoutGroups().keySet(),
                () -> cluster.fanoutGroups().containsKey("workflows"));
        long outageMillis = Faults.elapsedMillis(stoppedAt);
        for (int k = 0; k < 20; k++) {
            producer.sendBatch(trace, 1);
            Faults.sleep(50);
        }
        producer.sendEnd(trace);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        // Redis had no persistence: the history now holds only what was stored after the restart.
        List<String> afterRestart = cluster.resp().ids(cluster.traceKey(trace));
        assertEquals(21, afterRestart.size(), "20 events and the end stored after the restart");
        List<String> expected = new ArrayList<>(beforeCrash);
        expected.addAll(afterRestart);
        Tally tally = Tally.ZERO;
        for (ResumingClient c : clients) {
            tally = tally.plus(Tally.of(expected, c.ids()));
        }
        int broken = clients.stream().mapToInt(ResumingClient::brokenEnds).sum();
        int reconnects = clients.stream().mapToInt(c -> c.connects() - 1).sum();
        FaultReport.add("Redis killed and restarted empty (no persistence)", 3, expected.size(), tally,
                "outage " + outageMillis + " ms; every ingest 503 + Retry-After; readiness down after " + readyDownIn
                        + " ms, up " + readyUpIn + " ms after restart; " + openDuringOutage + " of 6 streams stayed open, "
                        + reconnects + " reconnects, " + broken + " broken; expected = events before the crash + history after");
        assertTrue(tally.perfect(), "each client got what was stored before the crash and everything stored after: " + tally
                + "; e.g. " + clients.get(0).log());
    }

    /**
     * The defect found from outside: Redis restarted empty, one instance's ingest recovered and
     * stored an event before another instance's fan-out reader had made its group again, which it
     * then made from the stream's end: the event was skipped, and reached that instance's clients
     * only with the next one (never, when it was the last). Repeated, because it is a race.
     */
    @Test
    @Order(3)
    void afterEachRestartEveryEventStoredOnceIngestRecoversReachesEveryOpenStreamWithoutWaitingForTheNext() {
        List<Long> worst = new ArrayList<>();
        Tally tally = Tally.ZERO;
        int sent = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            String trace = "rerun-" + round + "-" + System.nanoTime();
            Producer producer = new Producer(cluster, List.of(trace), 1, 0, -1);
            producer.sendBatch(trace, 1);
            List<ResumingClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(new ResumingClient(cluster, trace, i).retryOn404().start());
            }
            Faults.await(Duration.ofSeconds(20), () -> "clients connected and caught up",
                    () -> clients.stream().allMatch(c -> c.connected() && c.received() == 1));
            List<String> before = cluster.resp().ids(cluster.traceKey(trace));

            cluster.redis().stop();
            cluster.redis().start();
            // The first instance stores as soon as it can: the others' readers may not have made their groups yet.
            Instance first = cluster.instances().get(0);
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            HttpResponse<String> stored;
            do {
                Faults.sleep(20);
                stored = post(first, trace);
            } while (stored.statusCode() != 202 && System.nanoTime() < deadline);
            assertEquals(202, stored.statusCode(), "ingest recovered after the restart: " + stored.body());
            long storedAt = System.nanoTime();
            for (int k = 0; k < 2; k++) {
                assertEquals(202, post(first, trace).statusCode());
            }
            // Nothing more is sent: a skipped event would not be fetched by a later one's gap check.
            List<String> after = cluster.resp().ids(cluster.traceKey(trace));
            assertEquals(3, after.size(), "three events stored after the restart");
            long reachedAll = Faults.awaitMillis(Duration.ofSeconds(20),
                    () -> clients.stream().allMatch(c -> c.ids().containsAll(after)));
            long fromFirstStore = reachedAll < 0 ? -1 : Faults.elapsedMillis(storedAt);
            worst.add(fromFirstStore);
            List<String> expected = new ArrayList<>(before);
            expected.addAll(after);
            for (ResumingClient c : clients) {
                tally = tally.plus(Tally.of(expected, c.ids()));
                c.close();
            }
            sent += expected.size();
            assertTrue(reachedAll >= 0, "round " + round + ": every stream got the events stored after the restart; "
                    + clients.get(0).log());
        }
        FaultReport.add("Redis restarted empty " + ROUNDS + " times; 3 events stored as soon as ingest recovers, nothing after",
                3, sent, tally, "from the first 202 to the last stream having all 3: " + worst + " ms");
        assertTrue(tally.perfect(), tally.toString());
        // The guarantee is 1 s; the bound leaves room for a machine that is busy with other work.
        assertTrue(worst.stream().allMatch(ms -> ms <= DELIVERY_BOUND.toMillis()),
                "each round's events reached every stream within " + DELIVERY_BOUND + ": " + worst + " ms");
    }

    private static final int ROUNDS = 4;
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(5);

    private static final java.util.regex.Pattern ONE_SHOT = java.util.regex.Pattern.compile("\"one_shot\":(\\d+)");

    private static Integer oneShot(String json) {
        java.util.regex.Matcher m = ONE_SHOT.matcher(json);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** Open streams by the instance's gauge; -1 when /metrics does not show it. */
    private static int openStreams(Instance i) {
        try {
            return i.openStreams();
        } catch (RuntimeException | AssertionError e) {
            return -1;
        }
    }

    private static HttpResponse<String> post(Instance i, String trace) {
        try {
            return HTTP.send(HttpRequest.newBuilder(i.uri("/traces/" + trace + "/events")).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"task_started\",\"agent_id\":\"a\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(i + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code kill -STOP} / {@code kill -CONT} the redis-server: unreachable, yet nothing lost. */
    static void signalRedis(String signal) {
        long pid;
        try {
            pid = pidOfRedis();
        } catch (RuntimeException notRunning) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Long redisPid;

    private static long pidOfRedis() {
        if (redisPid == null) {
            redisPid = cluster.resp().processId();
        }
        return redisPid;
    }

    /** Posts one event without event_id every 100 ms to the instances in turn, never retrying. */
    static final class OneShots {
        private final String trace;
        private final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        private final List<String> acceptedIds = Collections.synchronizedList(new ArrayList<>());
        private final List<Integer> refusedIds = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private Thread thread;

        OneShots(String trace) {
            this.trace = trace;
        }

        void start() {
            running = true;
            thread = new Thread(() -> {
                int n = 0;
                while (running) {
                    n++;
                    Instance target = cluster.route(n);
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(target.uri("/traces/" + trace + "/events"))
                                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"message\",\"agent_id\":\"b\","
                                        + "\"attributes\":{\"one_shot\":" + n + "}}")).build(), HttpResponse.BodyHandlers.ofString());
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 202) {
                            String body = r.body();
                            int at = body.indexOf("\"ids\":[\"") + 8;
                            acceptedIds.add(body.substring(at, body.indexOf('"', at)));
                        } else {
                            refusedIds.add(n);
                        }
                    } catch (IOException e) {
                        statuses.add(-1);
                        refusedIds.add(n);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Faults.sleep(100);
                }
            }, "one-shots");
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

        Set<Integer> statuses() {
            synchronized (statuses) {
                return Set.copyOf(statuses);
            }
        }

        List<String> acceptedIds() {
            synchronized (acceptedIds) {
                return List.copyOf(acceptedIds);
            }
        }

        List<Integer> refusedIds() {
            synchronized (refusedIds) {
                return List.copyOf(refusedIds);
            }
        }

        int accepted() {
            return acceptedIds().size();
        }

        int refused() {
            return refusedIds().size();
        }
    }
}
