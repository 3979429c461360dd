package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MicroProfile Telemetry, wired for real: the server exports its spans over OTLP/HTTP to a
 * collector played by this test, continuing the caller's W3C trace and naming the workflow's
 * trace id; and a collector that is gone never fails or slows a request.
 */
@ExtendWith(ArquillianExtension.class)
class TelemetryIT {

    static final List<byte[]> EXPORTS = new CopyOnWriteArrayList<>();
    static final HttpServer COLLECTOR = startCollector();
    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

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
                EXPORTS.add(exchange.getRequestBody().readAllBytes());
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

    @Test
    void ingestSpansContinueTheCallersTraceAndNameTheWorkflowTraceThenACollectorOutageChangesNothing() throws Exception {
        Api api = new Api(deployment);
        String workflow = "otel-" + System.nanoTime();
        HttpResponse<String> response = api.post("traces/" + workflow + "/events",
                "{\"event_type\":\"agent_called\",\"agent_id\":\"a\"}",
                Map.of("traceparent", "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01"));
        assertEquals(202, response.statusCode(), response.body());

        byte[] callerTraceBytes = HexFormat.of().parseHex(CALLER_TRACE);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        boolean found = false;
        while (!found && System.nanoTime() < deadline) {
            for (byte[] export : EXPORTS) {
                String text = new String(export, StandardCharsets.ISO_8859_1);
                found |= text.contains(TraceCorrelation.SPAN_ATTRIBUTE) && text.contains(workflow)
                        && text.contains(new String(callerTraceBytes, StandardCharsets.ISO_8859_1));
            }
            Thread.sleep(100);
        }
        assertTrue(found, "an exported span carries the caller's trace id and " + TraceCorrelation.SPAN_ATTRIBUTE
                + "=" + workflow + " (" + EXPORTS.size() + " exports received)");

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
