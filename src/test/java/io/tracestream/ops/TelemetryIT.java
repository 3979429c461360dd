package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tracestream.testing.Api;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MicroProfile Telemetry, wired for real: the server exports its spans over OTLP/HTTP to a
 * collector played by this test, continuing the caller's W3C trace and naming the workflow's
 * trace id on ingest (our servlet filter's spans) and stream (JAX-RS, traced by Payara) requests;
 * and a collector that is gone never fails or slows a request (last, as it stops the collector).
 * The deployment is in memory, so it also shows health on the in-memory backend.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TelemetryIT {

    static final List<OtlpSpans.Span> SPANS = new CopyOnWriteArrayList<>();
    static final HttpServer COLLECTOR = startCollector();
    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int SERVER = 2; // OTLP SpanKind SPAN_KIND_SERVER

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "otel.sdk.disabled", "false",
                "otel.service.name", "trace-stream-test",
                "otel.traces.exporter", "otlp",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + COLLECTOR.getAddress().getPort(),
                "otel.bsp.schedule.delay", "100"));
    }

    static HttpServer startCollector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                SPANS.addAll(OtlpSpans.parse(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopCollector() {
        COLLECTOR.stop(0);
    }

    /** The first exported span that matches, waiting for the exporter's next batch. */
    static OtlpSpans.Span awaitSpan(String what, Predicate<OtlpSpans.Span> match) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OtlpSpans.Span> found = SPANS.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no exported span " + what + "; received:\n"
                + SPANS.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    static Predicate<OtlpSpans.Span> namingTrace(String traceId) {
        return s -> traceId.equals(s.attributes().get(TraceCorrelation.SPAN_ATTRIBUTE));
    }

    @Test
    @Order(1)
    void ingestSpansContinueTheCallersTraceAndNameTheWorkflowTrace() throws Exception {
        Api api = new Api(deployment);
        String workflow = "otel-" + UUID.randomUUID();
        HttpResponse<String> response = api.post("traces/" + workflow + "/events",
                "{\"event_type\":\"agent_called\",\"agent_id\":\"a\"}",
                Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"));
        assertEquals(202, response.statusCode(), response.body());

        OtlpSpans.Span span = awaitSpan(TraceCorrelation.SPAN_ATTRIBUTE + "=" + workflow, namingTrace(workflow));
        assertEquals(CALLER_TRACE, span.traceId(), "continues the caller's W3C trace: " + span);
        assertEquals(CALLER_SPAN, span.parentSpanId(), "a child of the caller's span: " + span);
        assertEquals("POST /traces/{trace_id}/events", span.name());
        assertEquals(SERVER, span.kind());
        assertEquals("202", span.attributes().get("http.status_code"), span.toString());
    }

    @Test
    @Order(2)
    void aStreamRequestsSpanNamesTheTraceItStreams() throws Exception {
        Api api = new Api(deployment);
        String workflow = "otel-stream-" + UUID.randomUUID();
        api.append(workflow, "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}");
        try (SseClient client = SseClient.open(api.uri("traces/" + workflow + "/stream"),
                Map.of("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01"))) {
            assertEquals(200, client.status());
            client.take(1, WAIT);
        }
        // The ingest span names the trace too: the stream's is Payara's JAX-RS span of the GET.
        OtlpSpans.Span span = awaitSpan("of GET /traces/" + workflow + "/stream naming it", namingTrace(workflow)
                .and(s -> "GET".equals(s.attributes().get("http.method"))));
        assertEquals("jaxrs", span.attributes().get("component"), "traced by MicroProfile Telemetry: " + span);
        // Payara's route starts with the context root (/trace-stream under Arquillian, / in production).
        assertTrue(span.attributes().getOrDefault("http.route", "").endsWith("/traces/{trace_id}/stream"), span.toString());
        assertEquals("GET " + span.attributes().get("http.route"), span.name());
        assertEquals("200", span.attributes().get("http.status_code"), span.toString());
        assertEquals(CALLER_TRACE, span.traceId(), "Payara's JAX-RS span continues the caller's trace: " + span);
        assertEquals(CALLER_SPAN, span.parentSpanId(), span.toString());
        assertEquals(SERVER, span.kind());
    }

    @Test
    @Order(3)
    void postEventsRecordsTheXTraceIdHeaderOnItsSpan() throws Exception {
        Api api = new Api(deployment);
        String workflow = "otel-header-" + UUID.randomUUID();
        HttpResponse<String> response = api.post("events", "{\"event_type\":\"message\",\"agent_id\":\"a\"}",
                Map.of("X-Trace-ID", workflow));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(workflow, response.headers().firstValue("X-Trace-ID").orElse(null));

        OtlpSpans.Span span = awaitSpan(TraceCorrelation.SPAN_ATTRIBUTE + "=" + workflow, namingTrace(workflow));
        assertEquals("POST /events", span.name());
        assertEquals(1, SPANS.stream().filter(namingTrace(workflow)).count(), "one request, one span naming it");
    }

    @Test
    @Order(4)
    void postEventsWithoutATraceIdRecordsTheMintedOne() throws Exception {
        Api api = new Api(deployment);
        HttpResponse<String> response = api.post("events", "{\"event_type\":\"message\",\"agent_id\":\"a\"}");
        assertEquals(202, response.statusCode(), response.body());
        String minted = response.headers().firstValue("X-Trace-ID").orElseThrow();
        assertEquals(minted, Api.json(response).getString("trace_id"));

        OtlpSpans.Span span = awaitSpan(TraceCorrelation.SPAN_ATTRIBUTE + "=" + minted + " (minted)", namingTrace(minted));
        assertEquals("POST /events", span.name());
        assertEquals("202", span.attributes().get("http.status_code"), span.toString());
    }

    @Test
    @Order(5)
    void onTheInMemoryBackendLiveAndReadyAreUp() {
        Api api = new Api(deployment);
        HttpResponse<String> live = api.get(api.serverUri("health/live"), Map.of());
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", Api.json(live).getString("status"), live.body());
        HttpResponse<String> ready = api.get(api.serverUri("health/ready"), Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", Api.json(ready).getString("status"), ready.body());
        assertEquals("memory", HealthIT.check(ready, "event-store").getJsonObject("data").getString("backend"));
    }

    @Test
    @Order(100)
    void aCollectorOutageChangesNothing() {
        Api api = new Api(deployment);
        String workflow = "otel-down-" + UUID.randomUUID();
        COLLECTOR.stop(0);
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertEquals(202, api.post("traces/" + workflow + "/events", "{\"event_type\":\"message\",\"agent_id\":\"a\"}")
                    .statusCode());
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 5_000, "20 requests with the collector gone took " + tookMillis + " ms");
    }
}
