package io.tracestream.api;

import static io.tracestream.api.TraceStreamContract.assertProblem;
import static io.tracestream.api.TraceStreamContract.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testkit.RedisServer;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With Redis stopped, nothing is accepted that is not stored, and the instance recovers by itself. */
@ExtendWith(ArquillianExtension.class)
class RedisOutageIT {

    /** This test's own Redis, so stopping it disturbs no other test. */
    static final RedisServer REDIS = RedisServer.startNew();

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(REDIS.url());
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @Test
    void ingestAnswers503WithRetryAfterWhileRedisIsDownAndRecoversWithoutRestart() throws Exception {
        Api api = new Api(deployment);
        String trace = "outage-" + System.nanoTime();
        api.append(trace, event("workflow_started", "a", ""));

        REDIS.stop();
        long started = System.nanoTime();
        HttpResponse<String> refused = api.post("traces/" + trace + "/events", event("task_started", "a", ""));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertProblem(refused, 503, null);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 503");
        assertTrue(tookMillis < 5_000, "answered fast, not after a long retry budget: " + tookMillis + " ms");
        awaitStatus(() -> api.get(api.serverUri("health/ready"), Map.of()).statusCode(), 503);
        // The first scrape reads the workflow levels from the store: a level that cannot be read is
        // NaN, not a 500 error page for the whole scrape (OtlpJavaSdkIT once got HTML).
        Metrics down = Metrics.scrape(api);
        assertEquals(0, down.require("tracestream_redis_up", Map.of()));
        assertTrue(Double.isNaN(down.require("tracestream_workflows_running", Map.of())), down.text());

        REDIS.start();
        awaitStatus(() -> api.get(api.serverUri("health/ready"), Map.of()).statusCode(), 200);
        HttpResponse<String> accepted = api.post("traces/" + trace + "/events", event("task_started", "a", ""));
        assertEquals(202, accepted.statusCode(), accepted.body());

        // The restarted Redis had no persistence: live delivery must work again on a fresh fan-out stream.
        try (SseClient client = SseClient.open(api.uri("traces/" + trace + "/stream"))) {
            assertEquals("task_started", TraceStreamContract.data(client.take(1, TraceStreamContract.WAIT).get(0)).getString("event_type"));
            api.append(trace, event("task_completed", "a", ""));
            assertEquals("task_completed", TraceStreamContract.data(client.take(1, TraceStreamContract.WAIT).get(0)).getString("event_type"));
        }
    }

    private static void awaitStatus(IntSupplier status, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int last = status.getAsInt();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            last = status.getAsInt();
        }
        assertEquals(expected, last);
    }
}
