package io.tracestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.RedisServer;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A step seen while it runs: the OpenTelemetry Java SDK with the {@link PendingSpanProcessor} docs/otlp-mapping.md shows
 * beside its {@link SimpleSpanProcessor}, both exporting through the SDK's own OTLP/HTTP exporter to
 * the deployed WAR (real Redis). A planner agent's root span and a research child span are started
 * and flushed: the child is an open step before it ends. Ended and flushed: one step, completed,
 * each start stored and streamed once.
 */
@ExtendWith(ArquillianExtension.class)
class PendingSpansIT {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String SERVICE = "pending-spans-app";
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    /** The root's events: workflow_started, agent_called, task_started, then task_completed, workflow_completed. */
    static final int ROOT_EVENTS = 5;
    /** The child's: task_started, then task_completed. */
    static final int CHILD_EVENTS = 2;
    /** The starts the pending spans give: the root's three, the child's one. */
    static final int STARTS = 4;

    @ArquillianResource
    URL deployment;

    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(RedisServer.sharedUrl());
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    @Test
    void aChildSpanIsARunningStepBeforeItEndsAndOneCompletedStepAfterWithEachStartStoredAndStreamedOnce() {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(api.uri("v1/traces").toString()).setTimeout(WAIT).build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().toBuilder().put("service.name", SERVICE).build())
                .addSpanProcessor(new PendingSpanProcessor(exporter))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        try (provider) {
            Tracer tracer = provider.get("io.tracestream.it.pending-spans");
            Span root = tracer.spanBuilder("invoke_agent planner").setNoParent()
                    .setAttribute(OPERATION, "invoke_agent").setAttribute(AGENT_NAME, "planner").startSpan();
            Span child = tracer.spanBuilder("research").setParent(Context.root().with(root)).startSpan();
            flush(provider);
            String traceId = root.getSpanContext().getTraceId();
            String rootId = root.getSpanContext().getSpanId();
            String childId = child.getSpanContext().getSpanId();

            JsonObject running = summaryWith(traceId, STARTS);
            assertEquals("running", running.getString("status"));
            JsonObject childStep = onlyStepOf(running, childId);
            assertEquals("open", childStep.getString("outcome"), "the child runs: " + childStep);
            assertTrue(childStep.isNull("ended_at"), childStep.toString());
            assertEquals("planner", childStep.getString("agent_id"), "its agent is the planner's, above it");
            assertEquals(rootId, childStep.getString("parent_span_id"));
            assertEquals("open", onlyStepOf(running, rootId).getString("outcome"));
            List<JsonObject> childEvents = eventsOf(traceId, childId);
            assertEquals(List.of("task_started"), types(childEvents), "a start and no end");
            assertEquals("pending_span", childEvents.get(0).getJsonObject("attributes").getString("logfire.span_type"));

            try (SseClient stream = SseClient.open(api.uri("traces/" + traceId + "/stream"))) {
                assertEquals(200, stream.status());
                child.end();
                root.end();
                flush(provider);

                JsonObject done = summaryWith(traceId, ROOT_EVENTS + CHILD_EVENTS);
                assertEquals("completed", done.getString("status"));
                JsonObject step = onlyStepOf(done, childId);
                assertEquals("completed", step.getString("outcome"), step.toString());
                assertEquals(2, done.getJsonArray("steps").size(), "one step per span: " + done.getJsonArray("steps"));
                assertEquals(List.of("task_started", "task_completed"), types(eventsOf(traceId, childId)));
                assertEquals(List.of("workflow_started", "agent_called", "task_started", "task_completed", "workflow_completed"),
                        types(eventsOf(traceId, rootId)));

                List<Message> streamed = stream.takeUntil("end", WAIT);
                List<JsonObject> events = streamed.stream().filter(m -> m.event() == null)
                        .map(m -> Api.json(m.data())).toList();
                assertEquals(ROOT_EVENTS + CHILD_EVENTS, events.size(), "the history, then the ends: " + types(events));
                Set<String> seen = new HashSet<>();
                for (JsonObject e : events) {
                    assertTrue(seen.add(e.getString("event_type") + " of " + e.getString("span_id")),
                            "streamed twice: " + e);
                }
            }
        }
    }

    /** Waits for both processors' exports to be answered: the spans are stored when it returns. */
    private static void flush(SdkTracerProvider provider) {
        CompletableResultCode flushed = provider.forceFlush().join(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(flushed.isSuccess(), "the exports succeeded");
    }

    /** The trace's summary once it holds {@code events} events (the summary follows the store's fan-out). */
    private JsonObject summaryWith(String traceId, int events) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonObject summary = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("traces/" + traceId);
            if (response.statusCode() == 200) {
                summary = Api.json(response);
                if (summary.getInt("event_count") == events) {
                    return summary;
                }
            }
            sleep();
        }
        throw new AssertionError("the summary of " + traceId + " did not reach " + events + " events: " + summary);
    }

    private static JsonObject onlyStepOf(JsonObject summary, String spanId) {
        List<JsonObject> steps = summary.getJsonArray("steps").getValuesAs(JsonObject.class).stream()
                .filter(s -> spanId.equals(s.getString("span_id", null))).toList();
        assertEquals(1, steps.size(), "one step of span " + spanId + ": " + summary.getJsonArray("steps"));
        return steps.get(0);
    }

    /** The span's stored events, in stored order, from the events API. */
    private List<JsonObject> eventsOf(String traceId, String spanId) {
        JsonObject page = Api.json(api.get("traces/" + traceId + "/events?limit=1000"));
        return page.getJsonArray("events").getValuesAs(JsonObject.class).stream()
                .filter(e -> spanId.equals(e.getString("span_id", null))).toList();
    }

    private static List<String> types(List<JsonObject> events) {
        return events.stream().map(e -> e.getString("event_type")).toList();
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
