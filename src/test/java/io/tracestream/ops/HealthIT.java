package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testkit.RedisServer;
import io.tracestream.testing.ServerLog;
import io.tracestream.testing.TestDeployments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health on the Redis backend, with a Redis of the test's own that it stops: live stays up (a
 * restart would not bring Redis back), ready goes down while the consumers cannot read and comes
 * back up by itself. While Redis is down the server logs the refused ingest as one JSON line
 * naming the trace, and never the refused event's payload. The watchdog's check is up with its data
 * throughout: an unavailable store is answered 503 at once, it is not stuck work.
 */
@ExtendWith(ArquillianExtension.class)
class HealthIT {

    static {
        ServerLog.capture();
    }

    static final RedisServer REDIS = RedisServer.startNew();
    static final Duration WAIT = Duration.ofSeconds(20);

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of("tracestream.redis.url", REDIS.url(),
                "tracestream.redis.key-prefix", "healthit-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    /** The named check of a health answer. */
    static JsonObject check(HttpResponse<String> health, String name) {
        JsonObject json = Json.createReader(new StringReader(health.body())).readObject();
        return json.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health.body()));
    }

    @Test
    void readyFollowsRedisAndTheConsumersWhileLiveStaysUp() throws Exception {
        Api api = new Api(deployment);
        assertUp(api, "health/live", "trace-stream");
        // Not ready until its reader has reached Redis once, a moment after deployment.
        HttpResponse<String> ready = await(api, "health/ready", 200);
        assertUp(api, "health/ready", "event-store");
        assertEquals("redis", check(ready, "event-store").getJsonObject("data").getString("backend"));

        String trace = "health-" + UUID.randomUUID();
        String secret = "secret-" + UUID.randomUUID();
        api.append(trace, "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}");
        int mark = ServerLog.mark();

        REDIS.stop();
        try {
            HttpResponse<String> down = await(api, "health/ready", 503);
            assertEquals("DOWN", Api.json(down).getString("status"), down.body());
            assertEquals("DOWN", check(down, "event-store").getString("status"), down.body());
            assertEquals("redis", check(down, "event-store").getJsonObject("data").getString("backend"));
            assertUp(api, "health/live", "trace-stream");
            assertEquals("UP", check(down, "watchdog").getString("status"), "not stuck, unavailable: " + down.body());

            HttpResponse<String> refused = api.post("traces/" + trace + "/events",
                    "{\"event_type\":\"message\",\"agent_id\":\"a\",\"attributes\":{\"prompt\":\"" + secret + "\"}}");
            assertEquals(503, refused.statusCode(), refused.body());
            JsonObject line = awaitLogLine(mark, l -> l.getString("message", "").startsWith("Answering 503")
                    && trace.equals(l.getString("trace_id", null)));
            assertEquals("WARNING", line.getString("level"));
            assertEquals("io.tracestream.http.JsonEventsEndpoint", line.getString("logger"));
            assertTrue(line.containsKey("time") && line.containsKey("instance"), line.toString());
            assertUp(api, "health/live", "trace-stream");
        } finally {
            REDIS.start();
        }
        HttpResponse<String> back = await(api, "health/ready", 200);
        assertEquals("UP", check(back, "event-store").getString("status"), back.body());
        assertFalse(ServerLog.text().contains(secret), "the refused event's payload reached the server log");
    }

    @Test
    void theWatchdogIsPartOfReadinessAndUpWithItsDataWhileWorkMoves() throws Exception {
        Api api = new Api(deployment);
        await(api, "health/ready", 200);
        String trace = "watchdog-" + UUID.randomUUID();
        api.append(trace, "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}");
        assertEquals(200, api.get("traces/" + trace).statusCode(), "a summary read");
        assertEquals(200, api.get("traces").statusCode(), "a trace-list scan");

        HttpResponse<String> ready = assertUp(api, "health/ready", "watchdog");
        // Payara writes every data value as a JSON string.
        JsonObject data = check(ready, "watchdog").getJsonObject("data");
        assertEquals(Set.of("in_flight", "stuck", "oldest_ms", "oldest_work", "deadlocked_threads", "stuck_after_ms"),
                data.keySet(), ready.body());
        assertEquals("0", data.getString("stuck"), ready.body());
        assertEquals("0", data.getString("deadlocked_threads"), ready.body());
        assertEquals("30000", data.getString("stuck_after_ms"), "tracestream.health.stuck-after's default");
        assertTrue(Long.parseLong(data.getString("in_flight")) >= 0 && Long.parseLong(data.getString("oldest_ms")) >= 0
                && List.of("none", "ingest", "read", "live").contains(data.getString("oldest_work")), ready.body());
    }

    private static HttpResponse<String> assertUp(Api api, String path, String checkName) {
        HttpResponse<String> health = api.get(api.serverUri(path), Map.of());
        assertEquals(200, health.statusCode(), path + ": " + health.body());
        assertEquals("UP", Api.json(health).getString("status"), health.body());
        assertEquals("UP", check(health, checkName).getString("status"), health.body());
        return health;
    }

    private static HttpResponse<String> await(Api api, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> last = api.get(api.serverUri(path), Map.of());
        while (last.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = api.get(api.serverUri(path), Map.of());
        }
        assertEquals(status, last.statusCode(), path + ": " + last.body());
        return last;
    }

    /** The first of our JSON log lines after {@code mark} that matches, waiting for the server to print it. */
    static JsonObject awaitLogLine(int mark, java.util.function.Predicate<JsonObject> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonObject> lines = jsonLines(ServerLog.linesSince(mark));
            for (JsonObject line : lines) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such JSON log line; the server printed:\n" + ServerLog.since(mark));
            }
            Thread.sleep(100);
        }
    }

    /** The lines that are a JSON object of ours (they start with {"time":), parsed. */
    static List<JsonObject> jsonLines(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> l.startsWith("{\"time\":"))
                .map(l -> Json.createReader(new StringReader(l)).readValue())
                .filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT).map(JsonValue::asJsonObject).toList();
    }
}
