package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tracestream.testing.Api;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.SseClient;
import io.tracestream.testkit.PayaraInstance;
import io.tracestream.testkit.RedisServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a start prints, as an operator sees it: the built WAR on the runtime the build leaves in
 * target/ (Payara Micro with Hazelcast off and a quiet boot, see pom.xml), started as a plain
 * process like the Dockerfile does, its standard output and error in one log file.
 * <p>
 * Measured here: ~460 lines before this change (most of them Payara dumping the expired
 * certificates of its trust store, and Hazelcast's data grid); now 4 lines on the in-memory
 * backend, ~13 on Redis, every one JSON; 39 in plain mode (Payara's multi-line status records).
 */
class StartupLogIT {

    /** What a JSON start may print at most: seen 4 to 13, the margin is for a slower machine's retries. */
    static final int MAX_JSON_START_LINES = 40;
    /** Plain mode prints Payara's final status as Payara formats it, over ~35 lines. */
    static final int MAX_PLAIN_START_LINES = 60;
    static final Duration START = Duration.ofSeconds(120);
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Payara Micro's last line of a start: "Payara Micro 6.2025.10 (build 42) ready in 9,876 (ms)". */
    static final String READY = ") ready in ";
    /** Lowercase traces of what must not be in a start: the certificate dump and Hazelcast. */
    static final List<String> NOISE = List.of("ncls-security-05054", "has expired", "hazelcast", "data grid");

    static final Pattern ANSI_COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Stops what the test started, the last started first (the server before its Redis). */
    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void aJsonStartPrintsAFewJsonLinesNamingVersionPortBackendAndReadyAndEverythingStillWorks() throws Exception {
        RedisServer redis = RedisServer.startNew();
        cleanup.add(redis);
        List<OtlpSpans.Span> spans = new CopyOnWriteArrayList<>();
        HttpServer collector = collector(spans);
        cleanup.add(() -> collector.stop(0));
        PayaraInstance server = start("startup-json", Map.of(
                "tracestream.redis.url", redis.url(),
                "tracestream.redis.key-prefix", "startuplogit-" + UUID.randomUUID(),
                "otel.sdk.disabled", "false",
                "otel.service.name", "trace-stream-startup",
                "otel.traces.exporter", "otlp",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort(),
                "otel.bsp.schedule.delay", "100"));

        List<String> lines = startLog(server);
        assertTrue(lines.size() < MAX_JSON_START_LINES, lines.size() + " lines:\n" + String.join("\n", lines));
        List<JsonObject> records = everyLineIsAJsonRecord(lines);
        assertNoNoise(lines);
        assertHasMessage(records, "StoreProducer", "Using the REDIS backend at " + redis.url());
        assertHasMessage(records, "PayaraMicro", "\"Http Port(s)\": \"" + server.port() + "\"");
        assertHasMessage(records, "PayaraMicro", "Payara Micro 6.");
        assertHasMessage(records, "PayaraMicro", READY);
        String threads = server.threadDump("startup");
        assertFalse(threads.contains("\"hz."), "Hazelcast threads run:\n" + threads);

        // With Hazelcast off everything the server offers still works.
        Api api = Api.at(URI.create("http://127.0.0.1:" + server.port() + "/"));
        HttpResponse<String> ready = api.get(api.serverUri("health/ready"), Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", Api.json(ready).getString("status"), ready.body());
        HttpResponse<String> metrics = api.get(api.serverUri("metrics"), Map.of());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("tracestream_sse_streams_max"), "no application metrics in /metrics");
        HttpResponse<String> openapi = api.get(api.serverUri("openapi"), Map.of());
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("/traces/{trace_id}/events"), "no API in /openapi");

        String trace = "startup-" + UUID.randomUUID();
        List<String> ids = api.append(trace, "{\"event_type\":\"agent_called\",\"agent_id\":\"a\",\"span_id\":\"s1\"}");
        try (SseClient stream = SseClient.open(api.uri("traces/" + trace + "/stream"))) {
            assertEquals(200, stream.status());
            ids = new ArrayList<>(ids);
            ids.addAll(api.append(trace, "{\"event_type\":\"agent_called\",\"agent_id\":\"b\",\"span_id\":\"s2\"}"));
            List<String> received = stream.take(2, WAIT).stream().map(SseClient.Message::id).toList();
            assertEquals(ids, received, "the history, then the live event");
        }
        await("an exported span naming trace " + trace, () -> spans.stream()
                .anyMatch(s -> trace.equals(s.attributes().get(TraceCorrelation.SPAN_ATTRIBUTE))));

        // Whatever the server printed meanwhile is JSON too.
        List<String> all = Files.readAllLines(server.log(), StandardCharsets.UTF_8);
        everyLineIsAJsonRecord(all);
        assertNoNoise(all);
    }

    @Test
    void aPlainStartPrintsReadableLinesInTheServersFormat() throws Exception {
        PayaraInstance server = start("startup-plain", Map.of("tracestream.log.format", "plain"));
        List<String> lines = startLog(server);
        assertTrue(lines.size() < MAX_PLAIN_START_LINES, lines.size() + " lines:\n" + String.join("\n", lines));
        assertNoNoise(lines);
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("{\"time\"")).toList(), "JSON lines in plain mode");
        // Payara's format: [time] [] [LEVEL] [] [logger] [tid: ...] ... message, level and logger coloured.
        String text = ANSI_COLOUR.matcher(String.join("\n", lines)).replaceAll("");
        assertTrue(text.contains("[INFO] [] [io.tracestream.wiring.StoreProducer] ")
                && text.contains("using the IN-MEMORY backend"), text);
        assertTrue(text.contains("[INFO] [] [PayaraMicro] ") && text.contains(READY), text);
    }

    private PayaraInstance start(String name, Map<String, String> settings) {
        Path target = Path.of(System.getProperty("tracestream.war", "target/trace-stream.war")).toAbsolutePath().getParent();
        PayaraInstance server = new PayaraInstance(name, target, Path.of(System.getProperty("payara.microJar",
                "target/payara-micro.jar")), target.resolve("trace-stream.war"), settings, List.of("-Xmx256m"));
        cleanup.add(server::destroy);
        server.start();
        server.awaitReady(START);
        return server;
    }

    /** The log once Payara has printed its last start line ("ready"), a little after readiness. */
    private static List<String> startLog(PayaraInstance server) throws IOException {
        await("\"" + READY + "\" in " + server.log(), () -> server.logContains(READY));
        return Files.readAllLines(server.log(), StandardCharsets.UTF_8);
    }

    private static List<JsonObject> everyLineIsAJsonRecord(List<String> lines) {
        List<String> notJson = new ArrayList<>();
        List<JsonObject> records = new ArrayList<>();
        for (String line : lines) {
            JsonObject record = parse(line);
            if (record == null || !record.keySet().containsAll(List.of("time", "level", "logger", "message", "instance"))) {
                notJson.add(line);
            } else {
                records.add(record);
            }
        }
        assertEquals(List.of(), notJson, "lines that are not a JSON log record");
        return records;
    }

    private static JsonObject parse(String line) {
        try {
            JsonValue value = Json.createReader(new StringReader(line)).readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void assertNoNoise(List<String> lines) {
        List<String> noisy = lines.stream()
                .filter(l -> NOISE.stream().anyMatch(n -> l.toLowerCase(Locale.ROOT).contains(n))).toList();
        assertEquals(List.of(), noisy, "certificate dump or Hazelcast in the log");
    }

    private static void assertHasMessage(List<JsonObject> records, String loggerEnd, String text) {
        assertTrue(records.stream().anyMatch(r -> r.getString("logger").endsWith(loggerEnd)
                        && r.getString("message").contains(text)),
                "no line of " + loggerEnd + " with " + text + ":\n"
                        + records.stream().map(JsonObject::toString).collect(Collectors.joining("\n")));
    }

    private static HttpServer collector(List<OtlpSpans.Span> spans) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            spans.addAll(OtlpSpans.parse(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
