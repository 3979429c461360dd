package io.tracestream.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracestream.ingest.PendingSpanProcessor;
import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.AlertmanagerServer;
import io.tracestream.testkit.RedisServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The run guards, end to end on the built WAR over a real Redis, with a real Alertmanager: each
 * guard fires from a scripted run (JSON API and OpenTelemetry spans through the real Java SDK),
 * the {@code alert} event reaches a client watching the trace within a second of the tripping
 * event's 202, is kept in the trace (a client that comes later or resumes sees it in order), in the
 * summary and the list, is counted, and is in Alertmanager with the trace's link, until it clears.
 * The thresholds differ per trace prefix, as {@code tracestream.guards.overrides} allows, so each
 * test's run meets only its own guard.
 */
@ExtendWith(ArquillianExtension.class)
class RunGuardsIT {

    static final RedisServer REDIS = RedisServer.startNew();
    static final AlertmanagerServer ALERTMANAGER = AlertmanagerServer.startNew();
    /** What the issue promises: an alert within a second of the event that tripped it. */
    static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    /** For what has no promised bound (Alertmanager's view, a history read): generous. */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String PUBLIC_URL = "https://tracestream.example";
    /** The start of the OpenTelemetry trace ids of the in-flight test (hex, as trace ids are): silent after 1 s. */
    static final String QUIET_OTEL_TRACES = "5111e0";

    @ArquillianResource
    URL deployment;

    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "tracestream.redis.url", REDIS.url(),
                "tracestream.guards.enabled", "true",
                "tracestream.guards.check-every", "PT0.1S",
                "tracestream.guards.overrides", "silent-: silent-after=PT1S; long-: max-run-duration=PT2S silent-after=PT0S;"
                        + " budget-: max-run-tokens=10000; " + QUIET_OTEL_TRACES + ": silent-after=PT1S",
                "tracestream.alertmanager.url", ALERTMANAGER.url().toString(),
                "tracestream.alertmanager.public-url", PUBLIC_URL,
                "tracestream.alertmanager.repost-every", "PT2S"));
    }

    @AfterAll
    static void stop() {
        ALERTMANAGER.close();
        REDIS.close();
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    // ------------------------------------------------------------------ helpers

    private static String event(String type, String agent, JsonObjectBuilder more) {
        return more.add("event_type", type).add("agent_id", agent).build().toString();
    }

    private static String event(String type, String agent) {
        return event(type, agent, Json.createObjectBuilder());
    }

    private static String toolCall(String agent, String tool, JsonObject input) {
        return event("tool_call", agent, Json.createObjectBuilder()
                .add("attributes", Json.createObjectBuilder().add("tool", tool)).add("input", input));
    }

    private static JsonObject data(SseClient.Message m) {
        return Api.json(m.data());
    }

    /** The next {@code alert} event on the stream, skipping the run's own events; fails after {@code timeout}. */
    private static JsonObject nextAlert(SseClient stream, Duration timeout) {
        List<SseClient.Message> got = stream.takeUntil("alert", timeout);
        return data(got.get(got.size() - 1));
    }

    private SseClient watch(String trace) {
        SseClient stream = SseClient.open(api.uri("traces/" + trace + "/stream"));
        assertEquals(200, stream.status());
        return stream;
    }

    /** Alertmanager's alerts of the trace, as it shows them now. */
    private static List<JsonObject> alertsOf(String trace) {
        return ALERTMANAGER.alerts().stream().map(JsonValue::asJsonObject)
                .filter(a -> trace.equals(a.getJsonObject("labels").getString("trace_id", null))).toList();
    }

    /** What {@code probe} finds, once it finds something; fails after {@link #WAIT} saying {@code what}. */
    private static <T> T poll(Supplier<String> what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(100);
        }
        throw new AssertionError("not within " + WAIT + ": " + what.get());
    }

    /** Alertmanager's alert of the trace matching {@code which}, once there is one. */
    private static JsonObject inAlertmanager(String trace, Predicate<JsonObject> which) {
        return poll(() -> "an alert of " + trace + " in Alertmanager: " + alertsOf(trace),
                () -> alertsOf(trace).stream().filter(which).findFirst());
    }

    private static boolean active(JsonObject alert) {
        return "active".equals(alert.getJsonObject("status").getString("state", ""));
    }

    /**
     * Waits until Alertmanager no longer shows the trace's alert of this name as active (a resolved
     * alert leaves Alertmanager's list once its endsAt has passed).
     */
    private static void resolvedInAlertmanager(String trace, String alertname) {
        poll(() -> alertname + " of " + trace + " resolved in Alertmanager: " + alertsOf(trace),
                () -> alertsOf(trace).stream().filter(a -> alertname.equals(a.getJsonObject("labels").getString("alertname", null)))
                        .noneMatch(RunGuardsIT::active) ? Optional.of(true) : Optional.empty());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonObject summary(String trace) {
        return Api.json(api.get("traces/" + trace));
    }

    // ------------------------------------------------------------------ the guards

    @Test
    void theSameToolWithTheSameArgumentsFourTimesIsALoopAlertWithinASecondInAlertmanagerAndResolvedWhenTheRunEnds() {
        String trace = "loop-json-1";
        api.append(trace, event("workflow_started", "planner"));
        double raisedBefore = Metrics.scrape(api).counter("tracestream_run_alerts_total", Map.of("kind", "loop", "severity", "critical"));
        try (SseClient stream = watch(trace)) {
            JsonObject same = Json.createObjectBuilder().add("query", "latest release").add("limit", 5).build();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.addAll(api.append(trace, toolCall("researcher", "web_search", same)));
            }
            // Arguments that differ are another call: no loop (members in another order are not).
            api.append(trace, toolCall("researcher", "web_search", Json.createObjectBuilder().add("query", "older release").add("limit", 5).build()));
            assertTrue(stream.drain(Duration.ofMillis(500)).stream().noneMatch(m -> "alert".equals(m.event())),
                    "three calls, and a fourth with other arguments, are no loop");

            ids.addAll(api.append(trace, toolCall("researcher", "web_search",
                    Json.createObjectBuilder().add("limit", 5).add("query", "latest release").build())));
            long tripped = System.nanoTime();
            JsonObject alert = nextAlert(stream, WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - tripped);
            assertTrue(took.compareTo(WITHIN_A_SECOND) <= 0, "the alert came " + took.toMillis() + " ms after the 202");

            assertEquals("alert", alert.getString("event_type"));
            assertEquals("loop", alert.getString("kind"));
            assertEquals("critical", alert.getString("severity"));
            assertFalse(alert.getBoolean("resolved"));
            assertEquals("researcher", alert.getString("agent_id"));
            assertTrue(alert.getString("message").contains("web_search"), alert.getString("message"));
            JsonObject evidence = alert.getJsonObject("evidence");
            assertEquals("web_search", evidence.getString("tool"));
            assertEquals(4, evidence.getInt("calls"));
            assertEquals(ids, alert.getJsonArray("event_ids").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()),
                    "the ids of the four same calls");

            JsonObject posted = inAlertmanager(trace, a -> "AgentRunLoop".equals(a.getJsonObject("labels").getString("alertname")));
            JsonObject labels = posted.getJsonObject("labels");
            assertEquals("loop", labels.getString("kind"));
            assertEquals("critical", labels.getString("severity"));
            assertEquals("researcher", labels.getString("agent"));
            assertEquals(PUBLIC_URL + "/ui/traces/" + trace, posted.getString("generatorURL"));
            assertTrue(active(posted));
            assertTrue(posted.getJsonObject("annotations").getString("runbook_url").endsWith(".md"), posted.toString());

            JsonObject s = summary(trace);
            assertEquals(1, s.getInt("open_alerts"));
            assertEquals(alert.getString("key"), s.getJsonArray("alerts").getJsonObject(0).getString("key"));
            assertEquals(raisedBefore + 1, Metrics.scrape(api).counter("tracestream_run_alerts_total",
                    Map.of("kind", "loop", "severity", "critical")));

            // A fifth same call is the same loop: nothing new.
            api.append(trace, toolCall("researcher", "web_search", same));
            api.append(trace, event("workflow_completed", "planner"));
            JsonObject resolved = nextAlert(stream, WAIT);
            assertEquals(alert.getString("key"), resolved.getString("key"));
            assertTrue(resolved.getBoolean("resolved"));
            assertNotNull(resolved.getString("resolved_at"));
            resolvedInAlertmanager(trace, "AgentRunLoop");
            assertEquals(0, summary(trace).getInt("open_alerts"));
        }
    }

    @Test
    void aClientThatComesLaterOrResumesSeesTheAlertsInTheirPlaceInTheHistory() {
        String trace = "loop-json-resume";
        List<String> ids = new ArrayList<>(api.append(trace, event("workflow_started", "planner")));
        JsonObject same = Json.createObjectBuilder().add("path", "/etc/hosts").build();
        for (int i = 0; i < 4; i++) {
            ids.addAll(api.append(trace, toolCall("coder", "read_file", same)));
        }
        try (SseClient first = watch(trace)) {
            List<SseClient.Message> history = first.takeUntil("alert", WAIT);
            assertEquals(6, history.size(), "the 5 events, then the alert: " + history);
            assertEquals(ids, history.subList(0, 5).stream().map(SseClient.Message::id).toList());
            String alertId = history.get(5).id();
            assertNotNull(alertId, "an alert has an id, so a client can resume after it");

            // Resuming after the third event: the fourth and fifth, then the alert.
            try (SseClient resumed = SseClient.open(api.uri("traces/" + trace + "/stream"), Map.of("Last-Event-ID", ids.get(2)))) {
                List<SseClient.Message> rest = resumed.takeUntil("alert", WAIT);
                assertEquals(List.of(ids.get(3), ids.get(4), alertId), rest.stream().map(SseClient.Message::id).toList());
            }
            // Resuming after the alert: nothing again.
            try (SseClient resumed = SseClient.open(api.uri("traces/" + trace + "/stream"), Map.of("Last-Event-ID", alertId))) {
                assertTrue(resumed.drain(Duration.ofMillis(500)).stream().noneMatch(m -> "alert".equals(m.event())));
            }
        }
        // The history as the events API gives it holds the alert too, where it was stored.
        JsonArray events = Api.json(api.get("traces/" + trace + "/events?limit=100")).getJsonArray("events");
        assertEquals("alert", events.getJsonObject(5).getString("event_type"));
    }

    @Test
    void aRunPastEightyPercentOfItsTokenBudgetWarnsThenPastItIsCritical() {
        String trace = "budget-run-1";
        api.append(trace, event("workflow_started", "planner"));
        try (SseClient stream = watch(trace)) {
            api.append(trace, event("llm_call", "writer", Json.createObjectBuilder().add("model", "gpt-4o")
                    .add("input_tokens", 7_000).add("output_tokens", 1_500)));
            JsonObject warning = nextAlert(stream, WAIT);
            assertEquals("budget", warning.getString("kind"));
            assertEquals("warning", warning.getString("severity"));
            api.append(trace, event("llm_call", "writer", Json.createObjectBuilder().add("model", "gpt-4o")
                    .add("input_tokens", 1_000).add("output_tokens", 600)));
            long tripped = System.nanoTime();
            List<JsonObject> next = new ArrayList<>();
            while (next.stream().noneMatch(a -> "critical".equals(a.getString("severity")))) {
                next.add(nextAlert(stream, WAIT));
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - tripped).compareTo(WITHIN_A_SECOND) <= 0);
            JsonObject critical = next.stream().filter(a -> "critical".equals(a.getString("severity"))).findFirst().orElseThrow();
            assertEquals("budget", critical.getString("kind"));
            JsonObject evidence = critical.getJsonObject("evidence");
            assertEquals("tokens", evidence.getString("measure"), evidence.toString());
            assertEquals(10_100, evidence.getJsonNumber("tokens").longValue(), "the tokens so far");
            assertEquals(10_000, evidence.getJsonNumber("max_run_tokens").longValue(), "the limit");
            assertEquals("tokens", warning.getJsonObject("evidence").getString("measure"), "8,500 of 10,000 tokens: 85%");
            inAlertmanager(trace, a -> "AgentRunBudget".equals(a.getJsonObject("labels").getString("alertname"))
                    && "critical".equals(a.getJsonObject("labels").getString("severity")));
        }
    }

    @Test
    void aRunThatFallsSilentIsAnAlertAndTheNextEventResolvesIt() {
        String trace = "silent-run-1";
        String last = api.append(trace, event("workflow_started", "planner")).get(0);
        try (SseClient stream = watch(trace)) {
            JsonObject silent = nextAlert(stream, WAIT);
            assertEquals("silent", silent.getString("kind"));
            assertEquals(List.of(last), silent.getJsonArray("event_ids").getValuesAs(v -> ((jakarta.json.JsonString) v).getString()));
            inAlertmanager(trace, a -> "AgentRunSilent".equals(a.getJsonObject("labels").getString("alertname")));

            api.append(trace, event("task_started", "coder", Json.createObjectBuilder().add("task_id", "t1")));
            long heard = System.nanoTime();
            JsonObject resolved = nextAlert(stream, WAIT);
            assertTrue(Duration.ofNanos(System.nanoTime() - heard).compareTo(WITHIN_A_SECOND) <= 0);
            assertEquals(silent.getString("key"), resolved.getString("key"));
            assertTrue(resolved.getBoolean("resolved"));
            resolvedInAlertmanager(trace, "AgentRunSilent");
            api.append(trace, event("workflow_completed", "planner"));
        }
    }

    @Test
    void threeFailedStepsWithinAMinuteAreAnErrorBurst() {
        String trace = "burst-run-1";
        api.append(trace, event("workflow_started", "planner"));
        try (SseClient stream = watch(trace)) {
            for (int i = 1; i <= 3; i++) {
                api.append(trace, event("task_failed", "coder", Json.createObjectBuilder().add("task_id", "t" + i)
                        .add("error", Json.createObjectBuilder().add("type", "Timeout").add("message", "tool timed out"))));
            }
            JsonObject burst = nextAlert(stream, WAIT);
            assertEquals("error_burst", burst.getString("kind"));
            assertEquals(3, burst.getJsonArray("event_ids").size());
            api.append(trace, event("workflow_failed", "planner"));
        }
    }

    @Test
    void aRunOlderThanItsLimitIsTooLongThoughItKeepsWorking() {
        String trace = "long-run-1";
        api.append(trace, event("workflow_started", "planner"));
        try (SseClient stream = watch(trace)) {
            List<SseClient.Message> seen = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.stream().noneMatch(m -> "alert".equals(m.event())) && System.nanoTime() < deadline) {
                api.append(trace, event("task_completed", "coder", Json.createObjectBuilder().add("task_id", "step")));
                seen.addAll(stream.drain(Duration.ofMillis(300)));
            }
            JsonObject alert = seen.stream().filter(m -> "alert".equals(m.event())).map(RunGuardsIT::data).findFirst()
                    .orElseThrow(() -> new AssertionError("no too_long alert within " + WAIT));
            assertEquals("too_long", alert.getString("kind"));
            api.append(trace, event("workflow_completed", "planner"));
            assertTrue(nextAlert(stream, WAIT).getBoolean("resolved"));
        }
    }

    @Test
    void theSameToolCalledFourTimesOverOpenTelemetryIsALoopToo() throws Exception {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(api.uri("v1/traces").toString())
                .setTimeout(Duration.ofSeconds(10)).build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().toBuilder().put("service.name", "guards-it").build())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        try {
            Tracer tracer = provider.get("io.tracestream.it.guards");
            Span root = tracer.spanBuilder("invoke_agent researcher").setNoParent()
                    .setAttribute("gen_ai.operation.name", "invoke_agent").setAttribute("gen_ai.agent.name", "researcher")
                    .startSpan();
            String trace = root.getSpanContext().getTraceId();
            Span first = tool(tracer, root, "{\"q\": \"weather in Paris\"}");
            first.end();
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            try (SseClient stream = watch(trace)) {
                for (int i = 0; i < 3; i++) {
                    tool(tracer, root, "{\"q\":\"weather in Paris\"}").end();
                }
                provider.forceFlush().join(10, TimeUnit.SECONDS);
                JsonObject alert = nextAlert(stream, WAIT);
                assertEquals("loop", alert.getString("kind"));
                assertEquals("get_weather", alert.getJsonObject("evidence").getString("tool"));
                inAlertmanager(trace, a -> "AgentRunLoop".equals(a.getJsonObject("labels").getString("alertname")));
            }
            root.end();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Traces whose ids start with {@link #QUIET_OTEL_TRACES}: silent after 1 s (the overrides). */
    private SdkTracerProvider quietTraces(boolean announceSpans) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(api.uri("v1/traces").toString())
                .setTimeout(Duration.ofSeconds(10)).build();
        IdGenerator random = IdGenerator.random();
        var provider = SdkTracerProvider.builder().setIdGenerator(new IdGenerator() {
                    @Override public String generateSpanId() { return random.generateSpanId(); }
                    @Override public String generateTraceId() {
                        return QUIET_OTEL_TRACES + random.generateTraceId().substring(QUIET_OTEL_TRACES.length());
                    }
                })
                .setResource(Resource.getDefault().toBuilder().put("service.name", "guards-it").build());
        if (announceSpans) {
            provider.addSpanProcessor(new PendingSpanProcessor(exporter));
        }
        return provider.addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    private static Span agent(Tracer tracer, String name, Span parent) {
        var span = tracer.spanBuilder("invoke_agent " + name).setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", name);
        return (parent == null ? span.setNoParent() : span.setParent(Context.current().with(parent))).startSpan();
    }

    @Test
    void aRunWorkingInsideSpansAnnouncedAsStartedIsNotSilentWhereTheSameRunUnannouncedIs() throws Exception {
        // Without announcements: the planner's span is not exported before it ends, the researcher's
        // ended; nothing is known to be in flight, so the run is silent after a second.
        SdkTracerProvider plain = quietTraces(false);
        try {
            Tracer tracer = plain.get("io.tracestream.it.guards");
            Span root = agent(tracer, "planner", null);
            agent(tracer, "researcher", root).end();
            plain.forceFlush().join(10, TimeUnit.SECONDS);
            try (SseClient stream = watch(root.getSpanContext().getTraceId())) {
                assertEquals("silent", nextAlert(stream, WAIT).getString("kind"));
            }
            root.end();
        } finally {
            plain.shutdown().join(10, TimeUnit.SECONDS);
        }

        // Announced as they start (Logfire's pending spans): the planner and the researcher are at
        // work, for four silences' worth, and after the researcher ends the planner still is.
        SdkTracerProvider announced = quietTraces(true);
        try {
            Tracer tracer = announced.get("io.tracestream.it.guards");
            Span root = agent(tracer, "planner", null);
            Span research = agent(tracer, "researcher", root);
            announced.forceFlush().join(10, TimeUnit.SECONDS);
            String trace = root.getSpanContext().getTraceId();
            try (SseClient stream = watch(trace)) {
                List<SseClient.Message> meanwhile = new ArrayList<>(stream.drain(Duration.ofSeconds(4)));
                research.end();
                announced.forceFlush().join(10, TimeUnit.SECONDS);
                meanwhile.addAll(stream.drain(Duration.ofSeconds(3)));
                assertTrue(meanwhile.stream().noneMatch(m -> "alert".equals(m.event())),
                        "no alert while a span announced as started is open: " + meanwhile);
                assertEquals(0, summary(trace).getInt("open_alerts"));
            }
            root.end();
        } finally {
            announced.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static Span tool(Tracer tracer, Span parent, String arguments) {
        return tracer.spanBuilder("execute_tool get_weather").setParent(Context.current().with(parent))
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", "get_weather")
                .setAttribute(AttributeKey.stringKey("gen_ai.tool.call.arguments"), arguments)
                .startSpan();
    }

    @Test
    void aProducerCannotSendAnAlertOfItsOwn() {
        JsonObject problem = Api.problem(api.post("traces/forged-1/events", event("alert", "mallory",
                Json.createObjectBuilder().add("attributes", Json.createObjectBuilder().add("kind", "loop")))), 400);
        assertTrue(problem.toString().contains("event_type"), problem.toString());
        assertEquals(404, api.get("traces/forged-1").statusCode(), "nothing was stored");
    }
}
