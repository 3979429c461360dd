package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testkit.RedisServer;
import io.tracestream.testing.ServerLog;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric is wired to what it claims to count: a known run of events (valid, invalid and
 * oversized requests, a duplicate, two workflows, a task failure, LLM calls with and without a
 * cost, a live SSE client) moves each counter, gauge and histogram by exactly what it should.
 * Against real Redis, under a key prefix of this test's own, so the shared consumer group
 * {@code workflows} holds this test's events only. Every event carries a secret in its
 * attributes, and the last test proves no payload reached the server's log.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    static {
        ServerLog.capture();
    }

    /** Where this class's server starts in the captured log. */
    static final int LOG_START = ServerLog.mark();

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SECRET = "prompt-secret-" + UUID.randomUUID();
    static final String ATTRS = "\"attributes\":{\"prompt\":\"" + SECRET + "\"}";
    static final String GPT = "gpt-test";
    static final String PRICED = "priced-model";
    /** Every trace id this class uses: none may show up as a label value. */
    static final Set<String> TRACE_IDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "tracestream.redis.url", RedisServer.sharedUrl(),
                "tracestream.redis.key-prefix", "metricsit-" + UUID.randomUUID(),
                "tracestream.pricing.models", PRICED + "=2/10"));
    }

    static String traceId(String what) {
        String id = "metrics-" + what + "-" + UUID.randomUUID();
        TRACE_IDS.add(id);
        return id;
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"," + (extra.isEmpty() ? "" : extra + ",")
                + ATTRS + "}";
    }

    static long millis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    @Test
    @Order(1)
    void aKnownRunMovesEveryMetricByExactlyWhatItCounts() throws Exception {
        Api api = new Api(deployment);
        Metrics before = Metrics.scrape(api);

        // Rejected requests: counted once per request by reason, nothing stored.
        String invalid = traceId("invalid");
        assertEquals(400, api.post("traces/" + invalid + "/events", event("message", "x", "\"not_a_field\":true")).statusCode());
        assertEquals(400, api.post("traces/" + invalid + "/events",
                "[" + event("message", "x", "") + ",{\"event_type\":\"message\"," + ATTRS + "}]").statusCode());
        String batch = IntStream.range(0, 51).mapToObj(i -> event("message", "x", "")).collect(Collectors.joining(",", "[", "]"));
        assertEquals(400, api.post("traces/" + invalid + "/events", batch).statusCode(), "51 events, max-batch is 50");
        String huge = event("message", "x", "\"payload\":\"" + "y".repeat(70_000) + "\"");
        assertEquals(400, api.post("traces/" + invalid + "/events", huge).statusCode(), "over max-body-bytes");
        assertEquals(404, api.get("traces/" + invalid + "/events").statusCode(), "nothing stored");

        // Workflow A, watched live: one event replayed, five live.
        String a = traceId("a");
        List<String> orchestrator = new ArrayList<>(api.append(a, event("workflow_started", "orchestrator", "")));
        List<String> steps;
        try (SseClient client = SseClient.open(api.uri("traces/" + a + "/stream"))) {
            assertEquals(200, client.status());
            client.take(1, WAIT);
            assertEquals(1, Metrics.scrape(api).require("tracestream_sse_streams_open", Map.of()), "one stream open");
            steps = api.append(a, "["
                    + event("task_failed", "coder", "\"duration_ms\":1500,\"error\":{\"type\":\"Timeout\",\"message\":\"" + SECRET + "\"}") + ","
                    + event("llm_call", "coder", "\"model\":\"" + GPT + "\",\"input_tokens\":120,\"output_tokens\":30,\"cost_usd\":0.25,\"duration_ms\":800") + ","
                    + event("llm_call", "reviewer", "\"model\":\"" + GPT + "\",\"input_tokens\":5,\"output_tokens\":7,\"cost_usd\":0.5") + ","
                    + event("llm_call", "reviewer", "\"model\":\"" + PRICED + "\",\"input_tokens\":500000,\"output_tokens\":100000,\"duration_ms\":200")
                    + "]");
            client.take(4, WAIT);
            orchestrator.addAll(api.append(a, event("workflow_completed", "orchestrator", "")));
            client.take(2, WAIT); // the event, then the named end event
        }
        // Workflow B, nobody watching; a retried event (same event_id) is stored once.
        String b = traceId("b");
        String dup = "\"event_id\":\"dup-" + UUID.randomUUID() + "\"";
        api.append(b, event("workflow_started", "orchestrator", ""));
        List<String> writer = api.append(b, event("message", "writer", dup));
        assertEquals(writer, api.append(b, event("message", "writer", dup)), "the retry answers the stored id");
        List<String> writerDone = api.append(b, event("task_completed", "writer", ""));
        orchestrator.addAll(api.append(b, event("workflow_failed", "orchestrator", "")));

        awaitValue(api, "tracestream_sse_streams_open", Map.of(), 0);
        Metrics after = awaitDelta(api, before, "tracestream_workflows_failed_total", Map.of(), 1);
        after = awaitDelta(api, before, "tracestream_workflows_completed_total", Map.of(), 1);
        after = awaitDelta(api, before, "tracestream_workflows_started_total", Map.of(), 2);
        Metrics end = after;
        ToDoubleFunction<String> delta = name -> end.counter(name) - before.counter(name);

        assertEquals(10, delta.applyAsDouble("tracestream_events_ingested_total"), "6 in A, 4 in B (the retry not counted)");
        assertEquals(0, end.require("tracestream_work_stuck", Map.of()), "all that work ended: nothing stuck");
        assertEquals(0, end.require("tracestream_deadlocked_threads", Map.of()));
        assertEquals(2, delta(before, end, "tracestream_events_rejected_total", Map.of("reason", "invalid")));
        assertEquals(2, delta(before, end, "tracestream_events_rejected_total", Map.of("reason", "too_large")));
        assertEquals(0, delta(before, end, "tracestream_events_rejected_total", Map.of("reason", "unavailable")));
        assertEquals(6, delta.applyAsDouble("tracestream_events_delivered_total"), "A's 6 events reached its client");
        assertEquals(5, delta.applyAsDouble("tracestream_delivery_latency_seconds_count"), "5 of them live");
        assertEquals(5, delta(before, end, "tracestream_delivery_latency_seconds_bucket", Map.of("le", "+Inf")));
        List<Metrics.Sample> oneSecond = end.samples().stream()
                .filter(s -> s.name().equals("tracestream_delivery_latency_seconds_bucket"))
                .filter(s -> s.labels().getOrDefault("le", "").matches("1(\\.0)?")).toList();
        assertEquals(1, oneSecond.size(), "one le=\"1\" bucket, as the SLO rules select it: " + oneSecond);
        double underOneSecond = oneSecond.get(0).value() - before.counter("tracestream_delivery_latency_seconds_bucket",
                oneSecond.get(0).labels());
        assertTrue(underOneSecond >= 0 && underOneSecond <= 5, "le=1 bucket moved by " + underOneSecond);

        assertEquals(1, delta.applyAsDouble("tracestream_workflows_completed_total"));
        assertEquals(1, delta.applyAsDouble("tracestream_workflows_failed_total"));
        assertEquals(2, delta.applyAsDouble("tracestream_workflows_started_total"));
        assertEquals(2, delta.applyAsDouble("tracestream_workflow_duration_seconds_count"), "both ended workflows timed");
        assertEquals(1, delta(before, end, "tracestream_task_failures_total", Map.of("agent", "coder")));
        assertEquals(List.of("coder"), end.find("tracestream_task_failures_total", Map.of()).stream()
                .map(s -> s.labels().get("agent")).toList(), "only coder failed a task");
        assertEquals(1, delta(before, end, "tracestream_tasks_completed_total", Map.of("agent", "writer")));
        assertEquals(0, delta(before, end, "tracestream_tasks_completed_total", Map.of("agent", "coder")));
        assertEquals(2, delta(before, end, "tracestream_step_duration_seconds_count", Map.of("agent", "coder")));
        assertEquals(1, delta(before, end, "tracestream_step_duration_seconds_count", Map.of("agent", "reviewer")),
                "an llm_call without duration_ms is not a timed step");
        assertEquals(125, delta(before, end, "tracestream_llm_tokens_total", Map.of("model", GPT, "direction", "input")));
        assertEquals(37, delta(before, end, "tracestream_llm_tokens_total", Map.of("model", GPT, "direction", "output")));
        assertEquals(500_000, delta(before, end, "tracestream_llm_tokens_total", Map.of("model", PRICED, "direction", "input")));
        assertEquals(100_000, delta(before, end, "tracestream_llm_tokens_total", Map.of("model", PRICED, "direction", "output")));
        assertEquals(0.75, end.require("tracestream_llm_cost_usd_total", Map.of("model", GPT)), 1e-9, "cost_usd summed");
        assertEquals(2.0, end.require("tracestream_llm_cost_usd_total", Map.of("model", PRICED)), 1e-9,
                "from the price table: 0.5M x $2 + 0.1M x $10 per million");

        // Heartbeats: when each agent's latest event was stored, flushed to Redis once a second.
        Map<String, Long> lastStored = Map.of(
                "orchestrator", millis(orchestrator.get(orchestrator.size() - 1)),
                "coder", millis(steps.get(1)),
                "reviewer", millis(steps.get(3)),
                "writer", millis(writerDone.get(0)));
        for (Map.Entry<String, Long> agent : lastStored.entrySet()) {
            assertEquals(agent.getValue() / 1000.0, awaitHeartbeat(api, agent.getKey(), agent.getValue() / 1000.0), 0.0005,
                    "heartbeat of " + agent.getKey());
        }

        // Low cardinality: no label value is one of the trace ids this test used.
        Metrics last = Metrics.scrape(api);
        List<String> leaked = last.samples().stream()
                .filter(s -> s.labels().values().stream().anyMatch(TRACE_IDS::contains) || s.labels().containsKey("trace_id"))
                .map(Object::toString).toList();
        assertEquals(List.of(), leaked, "metrics labelled with a trace id");
        Set<String> labelNames = new HashSet<>();
        last.samples().forEach(s -> labelNames.addAll(s.labels().keySet()));
        // kind and severity: the run alerts' (5 kinds x 2 severities, declared at start)
        labelNames.removeAll(Set.of("mp_scope", "le", "quantile", "reason", "agent", "model", "direction", "kind", "severity"));
        assertEquals(Set.of(), labelNames, "unexpected label names");
    }

    @Test
    @Order(2)
    void everyMetricTheAlertRulesUseIsExported() throws Exception {
        Api api = new Api(deployment);
        // Create what each rule's metric needs on its own, whatever ran before: a rejection, a
        // workflow with steps, failures and LLM calls, an event delivered live.
        assertEquals(400, api.post("traces/" + traceId("names") + "/events", event("message", "x", "\"not_a_field\":true")).statusCode());
        String trace = traceId("names");
        api.append(trace, event("workflow_started", "warm-up", ""));
        try (SseClient client = SseClient.open(api.uri("traces/" + trace + "/stream"))) {
            client.take(1, WAIT);
            api.append(trace, "[" + event("task_failed", "warm-up", "\"duration_ms\":10") + ","
                    + event("task_completed", "warm-up", "\"duration_ms\":10") + ","
                    + event("llm_call", "warm-up", "\"model\":\"" + GPT + "\",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.01") + ","
                    + event("workflow_completed", "warm-up", "") + "]");
            client.take(4, WAIT);
        }
        List<String> expected = Files.readAllLines(Path.of("alerting/metrics.txt")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(expected.size() > 20, "alerting/metrics.txt lists the metrics: " + expected);
        List<String> missing = expected;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            Metrics metrics = Metrics.scrape(api);
            missing = expected.stream().filter(name -> metrics.find(name, Map.of()).isEmpty()).toList();
            Thread.sleep(200);
        }
        assertEquals(List.of(), missing, "metrics used by alerting/ but not exported");
    }

    @Test
    @Order(3)
    void ourLogLinesAreJsonFromTheFirstAndNoEventPayloadReachedThem() {
        String log = ServerLog.since(LOG_START);
        assertTrue(log.contains("metricsit-"), "the server's log was captured (it names the key prefix at start)");
        assertFalse(log.contains(SECRET), "an event payload (attributes or error message) was logged");
        // The server's text formats: Payara's [time] [] [LEVEL] [] [logger] [tid: ...] message, and the
        // [time] [LEVEL] [logger] message of the console Arquillian's servers have (see pom.xml).
        List<String> plain = log.lines().filter(l -> l.matches(".*\\[io\\.tracestream\\.[^\\]]*\\] .*")).toList();
        assertEquals(List.of(), plain, "Trace Stream lines in the server's format, not JSON (tracestream.log.format=json)");
        List<jakarta.json.JsonObject> json = HealthIT.jsonLines(log.lines().toList());
        assertTrue(json.stream().anyMatch(l -> l.getString("message").startsWith("Using the REDIS backend")
                        && l.getString("logger").equals("io.tracestream.wiring.StoreProducer")),
                "the first line, naming the backend, is JSON: " + json);
        // From deployment on, the server's own records are JSON lines of the same shape (LogSetup).
        assertTrue(json.stream().allMatch(l -> l.containsKey("logger") && l.containsKey("level") && l.containsKey("instance")),
                json.toString());
    }

    static double delta(Metrics before, Metrics after, String name, Map<String, String> labels) {
        return after.counter(name, labels) - before.counter(name, labels);
    }

    /** Scrapes until a counter has moved by {@code expected} since {@code before}, then returns that scrape. */
    static Metrics awaitDelta(Api api, Metrics before, String name, Map<String, String> labels, double expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Metrics now = Metrics.scrape(api);
        while (delta(before, now, name, labels) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = Metrics.scrape(api);
        }
        assertEquals(expected, delta(before, now, name, labels), name + labels);
        return now;
    }

    static void awaitValue(Api api, String name, Map<String, String> labels, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double value = Metrics.scrape(api).require(name, labels);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = Metrics.scrape(api).require(name, labels);
        }
        assertEquals(expected, value, name + labels);
    }

    /** The agent's heartbeat once it shows {@code expected} (it is flushed once a second, read at most every 5 s). */
    static double awaitHeartbeat(Api api, String agent, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> labels = Map.of("agent", agent);
        double value = Double.NaN;
        while (System.nanoTime() < deadline) {
            value = Metrics.scrape(api).value("tracestream_agent_last_event_timestamp_seconds", labels).orElse(Double.NaN);
            if (Math.abs(value - expected) < 0.0005) {
                break;
            }
            Thread.sleep(200);
        }
        return value;
    }
}
