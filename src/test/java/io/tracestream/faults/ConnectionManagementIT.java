package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Connection management on three instances: the per-instance cap, the maximum stream lifetime,
 * the end of a finished trace, and graceful shutdown. Every instance caps at 25 streams; only i1
 * ends streams after 3 s (tracestream.sse.max-lifetime), so the other tests see long-lived streams.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionManagementIT {

    static final int CAP = 25;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("cm", 3, Map.of("tracestream.sse.max-connections", Integer.toString(CAP)),
                Map.of(0, Map.of("tracestream.sse.max-lifetime", "PT3S")));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anInstanceHoldingItsMaximumOfStreamsAnswers503WithRetryAfterAndAcceptsAgainOnceOneCloses() {
        Instance i2 = cluster.get(1);
        String trace = "cap-" + System.nanoTime();
        i2.api().append(trace, "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}");
        List<SseClient> open = new ArrayList<>();
        try {
            for (int k = 0; k < CAP; k++) {
                SseClient c = SseClient.open(i2.uri("/traces/" + trace + "/stream"));
                open.add(c);
                assertEquals(200, c.status(), "stream " + (k + 1) + " of " + CAP);
            }
            assertEquals(CAP, i2.openStreams());
            SseClient refused = SseClient.open(i2.uri("/traces/" + trace + "/stream"));
            open.add(refused);
            assertEquals(503, refused.status(), "stream " + (CAP + 1) + " is refused");
            assertTrue(refused.response().headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
            assertTrue(refused.response().headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            // Another instance still accepts: the cap is per instance.
            SseClient elsewhere = SseClient.open(cluster.get(2).uri("/traces/" + trace + "/stream"));
            open.add(elsewhere);
            assertEquals(200, elsewhere.status());

            open.get(0).close();
            long freedIn = Faults.awaitMillis(Duration.ofSeconds(15), () -> {
                SseClient again = SseClient.open(i2.uri("/traces/" + trace + "/stream"));
                open.add(again);
                return again.status() == 200;
            });
            assertTrue(freedIn >= 0, "a closed stream frees its slot (noticed when the client closes it)");
            FaultReport.add("Connection cap: " + CAP + " streams per instance, one more", 3, 1,
                    new Tally(CAP + 1, 0, 0, 0, 0, 0, 0), "stream " + (CAP + 1) + " got 503 + Retry-After; a slot freed by a "
                            + "departed client was reusable after " + freedIn + " ms");
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    @Order(2)
    void aStreamPastItsMaxLifetimeEndsCleanlyAndItsClientResumesByLastEventIdMissingNothing() {
        String trace = "lifetime-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 2, 40, -1);
        producer.sendBatch(trace, 1);
        List<ResumingClient> clients = new ArrayList<>();
        // Two clients come back to i1 each time (several lifetimes); two move on to the next instance.
        clients.add(new ResumingClient(cluster, trace, 0).start());
        clients.add(new ResumingClient(cluster, trace, 0).start());
        clients.add(new ResumingClient(cluster, trace, 0, true).start());
        clients.add(new ResumingClient(cluster, trace, 0, true).start());
        producer.start();
        Faults.sleep(10_000);
        producer.stop();
        producer.sendEnd(trace);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        Tally tally = Checks.tally(cluster, clients);
        int ends = clients.stream().mapToInt(ResumingClient::cleanEnds).sum();
        int broken = clients.stream().mapToInt(ResumingClient::brokenEnds).sum();
        FaultReport.add("max-lifetime 3 s on one instance, 10 s of ~50 events/s", 3, producer.acceptedCount(), tally,
                ends + " streams ended by the server, " + broken + " broken; clients resumed by Last-Event-ID");
        Checks.assertPerfect(tally, clients);
        for (ResumingClient c : clients.subList(0, 2)) {
            assertTrue(c.cleanEnds() >= 2, "i1 ended the stream after each lifetime: " + c.log());
        }
        for (ResumingClient c : clients) {
            assertTrue(c.cleanEnds() >= 1, "ended at least once: " + c.log());
            assertEquals(0, c.brokenEnds(), "every end was clean: " + c.log());
            assertEquals("end", c.finishedBy());
        }
    }

    @Test
    @Order(3)
    void aFinishedTraceSendsEndAfterItsLastEventThenClosesAndAResumeAtTheLastEventGets204() {
        Api api = cluster.get(1).api();
        String trace = "end-" + System.nanoTime();
        api.append(trace, "{\"event_type\":\"workflow_started\",\"agent_id\":\"o\"}");
        try (SseClient live = SseClient.open(cluster.get(1).uri("/traces/" + trace + "/stream"));
             SseClient other = SseClient.open(cluster.get(2).uri("/traces/" + trace + "/stream"))) {
            assertEquals(200, live.status());
            live.take(1, Duration.ofSeconds(10));
            other.take(1, Duration.ofSeconds(10));
            List<String> ids = new ArrayList<>(api.append(trace, "[{\"event_type\":\"task_started\",\"agent_id\":\"a\"},"
                    + "{\"event_type\":\"task_completed\",\"agent_id\":\"a\"},{\"event_type\":\"workflow_completed\",\"agent_id\":\"o\"}]"));
            String last = ids.get(2);
            for (SseClient c : List.of(live, other)) {
                List<Message> got = c.take(4, Duration.ofSeconds(10));
                assertEquals(ids, got.subList(0, 3).stream().map(Message::id).toList());
                assertEquals("end", got.get(3).event(), "a named end event after the last one: " + got);
                assertTrue(got.get(3).data().contains("\"last_event_id\":\"" + last + "\""), got.get(3).data());
                Faults.await(Duration.ofSeconds(10), () -> "the server closed the stream after end", c::ended);
            }
        }
        for (Instance i : cluster.instances()) {
            HttpResponse<String> resume = i.api().get(i.uri("/traces/" + trace + "/stream"), Map.of("Last-Event-ID", last(trace)));
            assertEquals(204, resume.statusCode(), "a resume at the last event of a finished trace, on " + i);
        }
        // A client joining later gets the history, then end; a resumer at the end gets a 204 and stops.
        ResumingClient late = new ResumingClient(cluster, trace, 2).start();
        ResumingClient resumer = new ResumingClient(cluster, trace, 0).startAfter(last(trace));
        Checks.awaitAllFinished(List.of(late, resumer), Duration.ofSeconds(20));
        assertEquals("end", late.finishedBy());
        assertEquals(cluster.resp().ids(cluster.traceKey(trace)), late.ids());
        assertEquals("204", resumer.finishedBy());
        assertEquals(List.of(), resumer.ids());
    }

    @Test
    @Order(4)
    void gracefulShutdownEndsEveryStreamCleanlySoClientsResumeOnOtherInstancesAndMissNothing() {
        Instance victim = cluster.get(2);
        List<String> traces = IntStream.range(0, 3).mapToObj(i -> "sigterm-" + i + "-" + System.nanoTime()).toList();
        Producer producer = new Producer(cluster, traces, 1, 30, -1);
        traces.forEach(t -> producer.sendBatch(t, 1));
        List<ResumingClient> clients = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            clients.add(new ResumingClient(cluster, traces.get(k % 3), 2).start());
        }
        for (int k = 0; k < 6; k++) {
            clients.add(new ResumingClient(cluster, traces.get(k % 3), 1).start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "clients connected", () -> clients.stream().allMatch(ResumingClient::connected));
        assertEquals(12, victim.openStreams());
        producer.start();
        Faults.sleep(2000);
        Duration stopped = victim.terminate(Duration.ofSeconds(60));
        Faults.sleep(2000);
        producer.stop();
        traces.forEach(producer::sendEnd);
        Checks.awaitAllFinished(clients, Duration.ofSeconds(60));

        List<ResumingClient> moved = clients.subList(0, 12);
        Tally tally = Checks.tally(cluster, clients);
        int broken = moved.stream().mapToInt(ResumingClient::brokenEnds).sum();
        FaultReport.add("SIGTERM of 1 of 3 instances at ~100 events/s", 3, producer.acceptedCount(), tally,
                "12 of 18 clients on the stopped instance; it exited in " + stopped.toMillis() + " ms; " + broken
                        + " of its streams broke instead of ending cleanly; producer: " + producer.summary());
        Checks.assertPerfect(tally, clients);
        for (ResumingClient c : moved) {
            assertEquals("end", c.finishedBy(), c.log().toString());
            assertTrue(c.connects() >= 2, "reconnected elsewhere: " + c.log());
        }
        assertEquals(0, broken, "the shutdown ended every stream cleanly (no reset, no truncated chunk): "
                + moved.stream().filter(c -> c.brokenEnds() > 0).findFirst().map(ResumingClient::log).orElse(List.of()));
        assertTrue(Set.of(202, 503).containsAll(producer.statuses().keySet()), "ingest during shutdown: " + producer.summary());
    }

    private static String last(String trace) {
        List<String> ids = cluster.resp().ids(cluster.traceKey(trace));
        return ids.get(ids.size() - 1);
    }
}
