package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testkit.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis that speaks TLS only ({@code port 0}, {@code tls-port}) and asks every client for a
 * certificate, with certificates the test made: an instance given the CA file and its client
 * certificate ({@code rediss://}, hostname verification on) stores and streams live; an instance
 * without the CA file refuses Redis's certificate and stays up, not ready, saying why.
 */
class RedisTlsIT {

    static final String HANDSHAKE_FAILED = "The TLS handshake with Redis failed";
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    static RedisServer redis;
    static Cluster cluster;
    static Instance trusting;
    static Instance withoutCa;

    @BeforeAll
    static void start() {
        TestCertificates certificates = TestCertificates.make(Faults.targetDir().resolve("tls-" + System.nanoTime()));
        redis = RedisServer.startNew(new RedisServer.Options()
                .tls(certificates.serverCert(), certificates.serverKey(), certificates.ca(), "yes"));
        Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "stop-redis"));
        // Resp speaks plain TCP: this test looks at what was stored through the producer's answers instead.
        cluster = Cluster.on(new Resp(redis::port, null), Map.of("tracestream.redis.url", redis.url(),
                "tracestream.redis.tls.keystore", certificates.clientKeystore().toString(),
                "tracestream.redis.tls.keystore-password", TestCertificates.KEYSTORE_PASSWORD), List.of(redis));
        trusting = cluster.newInstance("tls-ca", Map.of("tracestream.redis.tls.ca-file", certificates.ca().toString()));
        withoutCa = cluster.newInstance("tls-no-ca", Map.of());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void withTheCaFileIngestAndLiveStreamsWorkOverTlsWithoutItTheInstanceStaysUpUnreadyAndSaysWhy() {
        assertTrue(redis.url().startsWith("rediss://127.0.0.1:"), "TLS only, and the certificate names 127.0.0.1: " + redis.url());
        cluster.awaitReady(List.of(trusting));
        long startedAt = System.nanoTime();
        Faults.await(Cluster.START_TIMEOUT, () -> "the instance without the CA file started: " + withoutCa.logTail(),
                () -> withoutCa.status("/health/live") == 200);

        String trace = "tls-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 1, 50, 0);
        producer.sendBatch(trace, 1);
        ResumingClient client = new ResumingClient(cluster, trace, 0).measureLatency().start();
        Faults.await(Duration.ofSeconds(20), () -> "the client connected: " + client.log(), client::connected);
        producer.start();
        Faults.sleep(3000);
        producer.stop();
        producer.sendEnd(trace);
        Checks.awaitAllFinished(List.of(client), Duration.ofSeconds(30));
        Tally tally = Tally.of(producer.acceptedIds(trace), client.ids());
        List<Long> latencies = client.latencies();

        // Without the CA file: Redis's certificate is refused; up, not ready, 503 + Retry-After.
        assertTrue(withoutCa.isUp(), "still running");
        assertEquals(503, withoutCa.status("/health/ready"), "not ready while the certificate is refused");
        HttpResponse<String> refused = withoutCa.api().post("traces/" + trace + "/events", "{\"event_type\":\"x\",\"agent_id\":\"a\"}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 503");
        Faults.await(Duration.ofSeconds(10), () -> "the log says why: " + withoutCa.logTail(),
                () -> count(withoutCa, HANDSHAKE_FAILED) >= 1);
        int sayWhy = count(withoutCa, HANDSHAKE_FAILED);
        long allowed = 1 + Faults.elapsedMillis(startedAt) / LOG_EVERY.toMillis();
        int severe = count(withoutCa, "SEVERE");
        int handshakeTraces = count(withoutCa, "SSLHandshakeException: PKIX");

        FaultReport.add("Redis over TLS only (client certificates required): one instance with the CA file, one without", 2,
                producer.acceptedCount(), tally, "live over TLS p50 " + EntryIds.percentile(latencies, 0.5) + " ms, p99 "
                        + EntryIds.percentile(latencies, 0.99) + " ms (hostname verified); without the CA file: up, /health/ready "
                        + "503, ingest 503 + Retry-After, " + sayWhy + " log line(s) naming the TLS handshake, " + severe
                        + " SEVERE lines, " + handshakeTraces + " stack trace(s) of the handshake");
        assertTrue(tally.perfect(), "the client got every event once, in order, live over TLS: " + tally + "; " + client.log());
        assertTrue(producer.acceptedCount() > 20, "events flowed: " + producer.summary());
        assertEquals(Map.of(202, producer.count(202)).keySet(), producer.statuses().keySet(), "every post stored: " + producer.summary());
        assertTrue(sayWhy <= allowed, sayWhy + " lines name the TLS handshake, " + allowed + " allowed");
        // Redisson's own record of each failed handshake: one stack trace a minute, not one per attempt.
        assertTrue(severe <= allowed, severe + " SEVERE lines, " + allowed + " allowed");
    }

    private static int count(Instance i, String text) {
        try {
            return (int) Files.readString(i.log(), StandardCharsets.ISO_8859_1).lines().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
