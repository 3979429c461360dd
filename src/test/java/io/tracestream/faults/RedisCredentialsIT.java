package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testkit.RedisServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis protected by a password ({@code requirepass}) and an ACL user, as production runs it.
 * Instances with the right credentials (an ACL user in the URL; the default user's password in
 * {@code tracestream.redis.password}) store; an instance whose {@code tracestream.redis.password}
 * is wrong (it overrides the right one in its URL) still starts, says why once, answers 503 and
 * is not ready, never shows a password, and recovers alone once Redis accepts its password.
 */
class RedisCredentialsIT {

    /** Random, so that finding one in a log cannot be a coincidence. */
    static final String PASSWORD = secret();
    static final String USER = "tracestream";
    static final String USER_PASSWORD = secret();
    static final String WRONG = secret();
    static final String REFUSED = "Redis refused this instance's credentials";
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    static RedisServer redis;
    static Cluster cluster;
    static Instance acl;
    static Instance key;
    static Instance wrong;

    @BeforeAll
    static void start() {
        redis = RedisServer.startNew(new RedisServer.Options().password(PASSWORD).user(USER, USER_PASSWORD));
        Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "stop-redis"));
        String address = "127.0.0.1:" + redis.port();
        cluster = Cluster.on(new Resp(redis::port, PASSWORD), Map.of("tracestream.redis.timeout", "PT1S"), List.of(redis));
        acl = cluster.newInstance("cred-acl", Map.of("tracestream.redis.url", "redis://" + USER + ":" + USER_PASSWORD + "@" + address));
        key = cluster.newInstance("cred-key", Map.of("tracestream.redis.url", "redis://" + address,
                "tracestream.redis.password", PASSWORD));
        wrong = cluster.newInstance("cred-wrong", Map.of("tracestream.redis.url", "redis://:" + PASSWORD + "@" + address,
                "tracestream.redis.password", WRONG));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rightCredentialsStoreAWrongPasswordStartsUnreadySaysWhyOnceLeaksNothingAndRecoversWhenRedisAcceptsIt() {
        cluster.awaitReady(List.of(acl, key));
        long startedAt = System.nanoTime();
        Faults.await(Cluster.START_TIMEOUT, () -> "the instance with the wrong password started: " + wrong.logTail(),
                () -> wrong.status("/health/live") == 200);

        // The right credentials, in the URL (an ACL user) and in their own key (the default user).
        String trace = "cred-" + System.nanoTime();
        assertEquals(202, post(acl, trace).statusCode(), "the ACL user of the URL stores");
        assertEquals(202, post(key, trace).statusCode(), "the password of tracestream.redis.password stores");
        assertEquals(2, cluster.resp().ids(cluster.traceKey(trace)).size(), "both events are in Redis");
        String clients = (String) cluster.resp().call("CLIENT", "LIST");
        assertTrue(clients.lines().anyMatch(l -> l.contains("name=trace-stream:" + acl.name() + " ") && l.contains(" user=" + USER + " ")),
                "the ACL instance's connections are its user's: " + clients);

        // The wrong password: started, not ready, refuses with 503 + Retry-After, for every request.
        assertEquals(503, wrong.status("/health/ready"), "not ready with a refused password");
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> refused = post(wrong, trace);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 503");
            assertFalse(refused.body().contains(WRONG) || refused.body().contains(PASSWORD), "no password in a 503 body");
        }
        Faults.await(Duration.ofSeconds(10), () -> "the log says why: " + wrong.logTail(), () -> count(wrong, REFUSED) >= 1);
        int sayWhy = count(wrong, REFUSED);
        int say503 = count(wrong, "Answering 503");
        // Once, then at most once a minute: a slow start may stretch the outage past a minute.
        long allowed = 1 + Faults.elapsedMillis(startedAt) / LOG_EVERY.toMillis();
        assertTrue(sayWhy <= allowed, sayWhy + " lines say the credentials were refused, " + allowed + " allowed");
        assertTrue(say503 <= allowed, say503 + " lines about answering 503 after " + requests + " requests, " + allowed + " allowed");

        assertTrue(log(key).contains("127.0.0.1:" + redis.port() + " with a password as instance"),
                "the start line says a password is used, whichever key gave it");

        // No password anywhere an operator or a prober looks.
        for (Instance i : List.of(acl, key, wrong)) {
            String health = i.get("/health") + i.get("/health/ready") + i.get("/health/live");
            String log = log(i);
            for (String secret : List.of(PASSWORD, USER_PASSWORD, WRONG)) {
                assertFalse(health.contains(secret), i + "'s /health shows a password");
                assertFalse(log.contains(secret), i + "'s log shows a password");
            }
        }

        // Redis now takes the instance's password: it recovers by itself, nothing restarted.
        cluster.resp().call("CONFIG", "SET", "requirepass", WRONG);
        long changedAt = System.nanoTime();
        wrong.awaitReady(Duration.ofSeconds(60));
        long readyIn = Faults.elapsedMillis(changedAt);
        HttpResponse<String> stored = post(wrong, trace);
        long storesIn = Faults.elapsedMillis(changedAt);
        assertEquals(202, stored.statusCode(), "stores once Redis accepts its password: " + stored.body());
        assertEquals(3, new Resp(redis::port, WRONG).ids(cluster.traceKey(trace)).size(), "its event is in Redis");
        assertFalse(log(wrong).contains(WRONG) || log(wrong).contains(PASSWORD), "still no password in the log");

        FaultReport.add("Redis with a password: ACL user in the URL, password in tracestream.redis.password, a wrong password",
                3, 3, Tally.ZERO, "wrong password: started, /health/ready 503, " + requests + " POSTs all 503 + Retry-After, "
                        + sayWhy + " log line(s) naming the credentials, " + say503 + " about the 503s, no password in logs, "
                        + "/health or 503 bodies; after CONFIG SET requirepass: ready in " + readyIn + " ms, storing in "
                        + storesIn + " ms, nothing restarted");
    }

    private static HttpResponse<String> post(Instance i, String trace) {
        return i.api().post("traces/" + trace + "/events", "{\"event_type\":\"task_started\",\"agent_id\":\"a\"}");
    }

    private static String log(Instance i) {
        try {
            return Files.readString(i.log(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(Instance i, String text) {
        return (int) log(i).lines().filter(l -> l.contains(text)).count();
    }

    private static String secret() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return "pw" + HexFormat.of().formatHex(b);
    }
}
