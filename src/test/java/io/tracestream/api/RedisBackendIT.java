package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.RedisServer;
import io.tracestream.testing.TestDeployments;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the Redis backend, plus what only a deployed server shows: OpenAPI and readiness. */
@ExtendWith(ArquillianExtension.class)
class RedisBackendIT extends TraceStreamContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(RedisServer.sharedUrl());
    }

    @Test
    void readinessReportsTheRedisBackendUp() {
        HttpResponse<String> ready = api.get(api.serverUri("health/ready"), Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"backend\":\"redis\""), ready.body());
    }

    @Test
    void everyMetricTheAlertRulesUseIsExported() throws Exception {
        // Exercise what the workflow and delivery metrics count: a realistic run, watched live.
        String trace = newTraceId();
        api.append(trace, event("workflow_started", "warm-up", ""));
        try (io.tracestream.testing.SseClient client = io.tracestream.testing.SseClient.open(stream(trace, ""))) {
            client.take(1, WAIT);
            api.append(trace, event("message", "warm-up", ""));
            client.take(1, WAIT);
        }
        String run = newTraceId();
        api.append(run, fixture(run));
        java.util.List<String> expected = java.nio.file.Files.readAllLines(java.nio.file.Path.of("alerting/metrics.txt"))
                .stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        java.util.List<String> missing = expected;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            String metrics = api.get(api.serverUri("metrics?scope=application"), Map.of()).body();
            missing = expected.stream()
                    .filter(name -> !java.util.regex.Pattern.compile("(?m)^" + name + "\\{").matcher(metrics).find())
                    .toList();
            Thread.sleep(200);
        }
        assertEquals(java.util.List.of(), missing, "metrics used by alerting/ but not exported");
    }

    @Test
    void openApiDescribesTheStreamTheEventSchemaHeadersAndProblems() {
        String doc = api.get(api.serverUri("openapi"), Map.of("Accept", "application/json")).body();
        for (String expected : new String[] {
                "/traces/{trace_id}/stream", "text/event-stream", "/traces/{trace_id}/events", "/events",
                "\"TraceEvent\"", "\"Problem\"", "application/problem+json", "\"X-Trace-ID\"", "\"Last-Event-ID\"",
                "\"Retry-After\"", "\"400\"", "\"404\"", "\"503\""}) {
            assertTrue(doc.contains(expected), "OpenAPI document lacks " + expected);
        }
        for (String field : new String[] {"trace_id", "event_type", "agent_id", "timestamp", "span_id", "parent_span_id",
                "task_id", "status", "duration_ms", "error", "model", "input_tokens", "output_tokens", "cost_usd",
                "event_id", "attributes"}) {
            assertTrue(doc.contains("\"" + field + "\""), "TraceEvent schema lacks " + field);
        }
    }
}
