package io.tracestream.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.RedisServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/traces} with bodies no honest exporter sends, sent by hand: each is answered
 * with a 4xx carrying a {@code google.rpc.Status} in the request's encoding, or a 200 whose
 * partial success counts the rejected spans right, never a 5xx, and nothing is half stored. Then
 * the big honest one (10,000 spans in one request, all stored) and a Redis outage (503 with
 * {@code Retry-After}; the retried export stored once).
 *
 * <p>The deployment has its own Redis, so that the last test may stop it, and a body limit of
 * 2 MiB instead of 16 MiB so that bodies over it stay cheap to send.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OtlpBadInputIT {

    static final RedisServer REDIS = RedisServer.startNew();
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNAVAILABLE = 14;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Span times: a minute ago, so they are recent for the trace list and the TTL. */
    static final long T0 = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000L;

    @ArquillianResource
    URL deployment;

    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "tracestream.redis.url", REDIS.url(),
                "tracestream.otlp.max-body-bytes", Integer.toString(MAX_BODY_BYTES),
                // 10,000 spans in one trace are 10,003 events: keep them all (the test default keeps 1,000).
                "tracestream.trace.max-events", "20000",
                "tracestream.ingest.max-batch", "1000"));
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    // ---------------------------------------------------------------------------------------------
    // Bodies that cannot be decoded: 400, a Status in the request's encoding, nothing stored

    @Test
    @Order(1)
    void truncatedProtobufIs400WithAProtobufStatusAndNothingStored() {
        String trace = newTraceId();
        byte[] whole = request(root(trace, 1), child(trace, 2, 1, "execute_tool grep")).toByteArray();
        for (int cut : new int[] {1, whole.length / 3, whole.length / 2, whole.length - 1}) {
            Answer answer = post(Arrays.copyOf(whole, cut), PROTOBUF, Map.of());
            answer.assertStatus(400, INVALID_ARGUMENT, "protobuf");
        }
        assertNoTrace(trace);
        // The same request whole is fine: the cuts, not the spans, were refused.
        post(whole, PROTOBUF, Map.of()).assertAccepted(0);
    }

    @Test
    @Order(2)
    void randomBytesAsProtobufAre400() {
        for (long seed : new long[] {1, 2, 5, 42}) {
            byte[] noise = new byte[1024];
            new Random(seed).nextBytes(noise);
            post(noise, PROTOBUF, Map.of()).assertStatus(400, INVALID_ARGUMENT, "protobuf");
        }
    }

    @Test
    @Order(3)
    void malformedJsonIs400WithAJsonStatus() {
        String trace = newTraceId();
        String valid = jsonExport(jsonSpan(trace, spanId(1), null, "invoke_workflow w")).toString();
        List<String> bodies = List.of(
                valid.substring(0, valid.length() / 2),
                "",
                "not json at all",
                "{\"resourceSpans\":[{",
                "null",
                "[]",
                "[".repeat(10_000));
        for (String body : bodies) {
            post(body.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, null);
        }
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        post(notUtf8, JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, "UTF-8");
        assertNoTrace(trace);
    }

    @Test
    @Order(4)
    void wrongTypedJsonIs400AndNothingOfTheRequestIsStored() {
        String trace = newTraceId();
        // Each body has a valid span first, so a receiver that stored as it parsed would show it.
        Map<String, JsonObjectBuilder> wrong = new LinkedHashMap<>();
        wrong.put("time as a word", jsonSpan(trace, spanId(2), spanId(1), "x").add("startTimeUnixNano", "yesterday"));
        wrong.put("time negative", jsonSpan(trace, spanId(2), spanId(1), "x").add("endTimeUnixNano", "-5"));
        wrong.put("time fractional", jsonSpan(trace, spanId(2), spanId(1), "x").add("endTimeUnixNano", 1.5));
        wrong.put("trace id a number", jsonSpan(trace, spanId(2), spanId(1), "x").add("traceId", 12345));
        wrong.put("span id not hex", jsonSpan(trace, spanId(2), spanId(1), "x").add("spanId", "zz00zz00zz00zz00"));
        wrong.put("odd-length id", jsonSpan(trace, spanId(2), spanId(1), "x").add("parentSpanId", "abc"));
        wrong.put("name an object", jsonSpan(trace, spanId(2), spanId(1), "x").add("name", Json.createObjectBuilder().add("a", 1)));
        wrong.put("int attribute not a number", jsonSpan(trace, spanId(2), spanId(1), "x").add("attributes",
                Json.createArrayBuilder().add(Json.createObjectBuilder().add("key", "n")
                        .add("value", Json.createObjectBuilder().add("intValue", "12x")))));
        wrong.put("bool attribute a word", jsonSpan(trace, spanId(2), spanId(1), "x").add("attributes",
                Json.createArrayBuilder().add(Json.createObjectBuilder().add("key", "b")
                        .add("value", Json.createObjectBuilder().add("boolValue", "yes")))));
        wrong.put("attributes an object", jsonSpan(trace, spanId(2), spanId(1), "x").add("attributes",
                Json.createObjectBuilder().add("key", "n")));
        for (Map.Entry<String, JsonObjectBuilder> e : wrong.entrySet()) {
            String body = jsonExport(jsonSpan(trace, spanId(1), null, "invoke_workflow w"), e.getValue()).toString();
            post(body.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, null);
        }
        String spansNotAList = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{\"traceId\":\"" + trace + "\"}}]}]}";
        post(spansNotAList.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, null);
        String spanANumber = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[42]}]}]}";
        post(spanANumber.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, null);
        assertNoTrace(trace);
    }

    @Test
    @Order(4)
    void contentAfterTheDocumentOrAMemberNamedTwiceIs400AndNothingOfTheRequestIsStored() {
        String trace = newTraceId();
        String valid = jsonExport(jsonSpan(trace, spanId(1), null, "invoke_workflow w")).toString();
        String other = jsonExport(jsonSpan(trace, spanId(2), spanId(1), "x")).toString();
        for (String body : List.of(valid + other, valid + "\n" + other + "\n", valid + " trailing")) {
            post(body.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, "malformed JSON");
        }
        // Protobuf's JSON parser (Gson underneath) would keep the second name and drop the first.
        String twice = valid.replace("\"name\":\"invoke_workflow w\"", "\"name\":\"invoke_workflow w\",\"name\":\"invoke_workflow v\"");
        assertFalse(twice.equals(valid), twice);
        post(twice.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(400, INVALID_ARGUMENT, "\"name\" appears twice");
        assertNoTrace(trace);
    }

    // ---------------------------------------------------------------------------------------------
    // Spans that are refused one by one: 200 with partial success, the rest stored

    @Test
    @Order(5)
    void invalidIdsRejectTheirSpansOnlyAndPartialSuccessCountsThem() {
        String trace = newTraceId();
        String shortTrace = "0af7651916cd43dd";
        String zeroTrace = "0".repeat(32);
        Span.Builder[] spans = {
                root(trace, 1),
                child(trace, 2, 1, "execute_tool grep"),
                child(trace, 3, 1, "x").setTraceId(bytes(shortTrace)),
                child(trace, 4, 1, "x").setTraceId(bytes(zeroTrace)),
                child(trace, 5, 1, "x").setSpanId(bytes("0".repeat(16))),
                child(trace, 6, 1, "x").setSpanId(bytes("00f067aa")),
                child(trace, 7, 1, "x").setParentSpanId(bytes("00f067")),
                child(trace, 8, 1, "x").setParentSpanId(bytes("0".repeat(16))),
                child(trace, 9, 1, "x").setSpanId(ByteString.EMPTY),
        };
        double rejectedBefore = Metrics.scrape(api).counter("tracestream_otlp_spans_total", Map.of("outcome", "rejected"));
        Answer answer = post(request(spans).toByteArray(), PROTOBUF, Map.of());
        String message = answer.assertAccepted(7);
        assertTrue(message.startsWith("7 of 9 spans rejected"), message);
        assertTrue(message.contains("must not be all zeros") && message.contains("must be 32 hex characters"), message);
        assertEquals(Set.of(spanId(1), spanId(2)), storedSpanIds(trace), "only the valid spans are stored");
        assertNoTrace(shortTrace);
        assertNoTrace(zeroTrace);
        double rejected = Metrics.scrape(api).counter("tracestream_otlp_spans_total", Map.of("outcome", "rejected"));
        assertEquals(7, rejected - rejectedBefore, 0.0, "tracestream_otlp_spans_total{outcome=rejected}");
    }

    @Test
    @Order(6)
    void invalidIdsInOtlpJsonGetAJsonPartialSuccess() {
        String trace = newTraceId();
        String body = jsonExport(
                jsonSpan(trace, spanId(1), null, "invoke_workflow w"),
                jsonSpan("abcd", spanId(2), spanId(1), "x"),
                jsonSpan("0".repeat(32), spanId(3), spanId(1), "x"),
                jsonSpan(trace, "0".repeat(16), spanId(1), "x"),
                jsonSpan(trace, spanId(5), "00f067aa0ba902b7aa", "x")).toString();
        Answer answer = post(body.getBytes(StandardCharsets.UTF_8), JSON, Map.of());
        String message = answer.assertAccepted(4);
        assertTrue(message.startsWith("4 of 5 spans rejected"), message);
        assertEquals(Set.of(spanId(1)), storedSpanIds(trace));
    }

    @Test
    @Order(7)
    void anExportWhoseSpansAreAllInvalidStoresNothingAndSaysSo() {
        String trace = newTraceId();
        Answer answer = post(request(root(trace, 1).setEndTimeUnixNano(T0 - 1), child(trace, 2, 1, "x").setStartTimeUnixNano(0))
                .toByteArray(), PROTOBUF, Map.of());
        String message = answer.assertAccepted(2);
        assertTrue(message.contains("end_time_unix_nano is before start_time_unix_nano")
                && message.contains("start_time_unix_nano is missing"), message);
        assertNoTrace(trace);
    }

    @Test
    @Order(8)
    void aLongPromptOrAttributeNeverRejectsItsSpanAndALongSpanNameNeither() {
        String trace = newTraceId();
        String prompt = "p".repeat(70_000);
        String document = "d".repeat(70_000);
        String longName = "SELECT " + "c, ".repeat(300) + "x FROM t";
        Answer answer = post(request(
                root(trace, 1),
                child(trace, 2, 1, "chat gpt-4o").addAttributes(str("gen_ai.operation.name", "chat"))
                        .addAttributes(str("gen_ai.input.messages", prompt))
                        .addAttributes(str("app.document", document)),
                child(trace, 3, 1, longName)).toByteArray(), PROTOBUF, Map.of());
        answer.assertAccepted(0);
        assertEquals(Set.of(spanId(1), spanId(2), spanId(3)), storedSpanIds(trace));
        JsonObject call = storedEvents(trace).stream().filter(e -> "llm_call".equals(e.getString("event_type")))
                .findFirst().orElseThrow();
        // The prompt (not JSON, so one user message holding the text) is the call's content, kept whole beside it.
        assertTrue(call.getJsonObject("content").getBoolean("kept"), call.toString());
        assertFalse(call.getJsonObject("attributes").containsKey("gen_ai.input.messages"));
        String cut = call.getJsonObject("attributes").getString("app.document");
        assertEquals(65_536, cut.length(), "another long attribute is cut to 64 KiB");
        assertTrue(cut.contains("[truncated: 70000 characters, "), cut.substring(cut.length() - 60));
        // A span name longer than a task name may be is no reason to refuse the span: it is kept as an attribute.
        JsonObject end = storedEvents(trace).stream().filter(e -> spanId(3).equals(e.getString("span_id")))
                .filter(e -> "task_completed".equals(e.getString("event_type"))).findFirst().orElseThrow();
        assertEquals(longName, end.getJsonObject("attributes").getString("span_name"));
    }

    @Test
    @Order(9)
    void oddButDecodableSpansAreStoredNotRefused() {
        String trace = newTraceId();
        JsonObjectBuilder odd = jsonSpan(trace, spanId(2), spanId(1), "x")
                .add("kind", 99)
                .add("status", Json.createObjectBuilder().add("code", 7).add("message", "from the future"))
                .add("someFieldFromANewerExporter", Json.createObjectBuilder().add("a", 1));
        String body = jsonExport(jsonSpan(trace, spanId(1), null, "invoke_workflow w"), odd).toString();
        post(body.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertAccepted(0);
        assertEquals(Set.of(spanId(1), spanId(2)), storedSpanIds(trace));
    }

    // ---------------------------------------------------------------------------------------------
    // Sizes

    @Test
    @Order(10)
    void tenThousandSpansInOneRequestAreAllStored() {
        String trace = newTraceId();
        int spans = 10_000;
        Span.Builder[] all = new Span.Builder[spans];
        all[0] = root(trace, 1).setEndTimeUnixNano(T0 + spans * 1_000_000L + 1_000_000L);
        for (int i = 1; i < spans; i++) {
            all[i] = span(trace, i + 1, 1, "execute_tool grep", T0 + i * 1_000_000L, T0 + i * 1_000_000L + 500_000L);
        }
        byte[] body = request(all).toByteArray();
        assertTrue(body.length < MAX_BODY_BYTES, body.length + " bytes, under the limit");
        long started = System.nanoTime();
        Answer answer = post(body, PROTOBUF, Map.of());
        long millis = (System.nanoTime() - started) / 1_000_000;
        answer.assertAccepted(0);
        System.out.printf("OtlpBadInputIT: %d spans (%d bytes of protobuf) answered in %d ms%n", spans, body.length, millis);

        List<JsonObject> events = storedEvents(trace);
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.getString("span_id")));
        assertEquals(spans, ids.size(), "every span stored");
        assertEquals(spans - 1 + 4, events.size(), "one tool_call per child span, four events of the root; no duplicate");
        JsonObject summary = Api.json(api.get("traces/" + trace));
        assertEquals(spans - 1 + 4, summary.getInt("event_count"));
        assertEquals("completed", summary.getString("status"));
    }

    @Test
    @Order(11)
    void aBodyOverTheLimitIs413AlsoWhenItOnlyGrowsThatBigOnceUnzipped() {
        String trace = newTraceId();
        List<Span.Builder> spans = new ArrayList<>();
        spans.add(root(trace, 1));
        String value = "v".repeat(60_000);
        for (int i = 2; spans.size() * 60_000 < MAX_BODY_BYTES + 100_000; i++) {
            spans.add(child(trace, i, 1, "step").addAttributes(str("payload", value)));
        }
        byte[] body = request(spans.toArray(Span.Builder[]::new)).toByteArray();
        assertTrue(body.length > MAX_BODY_BYTES);
        post(body, PROTOBUF, Map.of()).assertStatus(413, RESOURCE_EXHAUSTED, "max-body-bytes");

        byte[] zipped = gzip(body);
        assertTrue(zipped.length < MAX_BODY_BYTES / 10, "small on the wire: " + zipped.length);
        post(zipped, PROTOBUF, Map.of("Content-Encoding", "gzip")).assertStatus(413, RESOURCE_EXHAUSTED, "max-body-bytes");

        String json = jsonExport(jsonSpan(trace, spanId(1), null, "w").add("attributes", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("key", "payload")
                        .add("value", Json.createObjectBuilder().add("stringValue", "j".repeat(MAX_BODY_BYTES)))))).toString();
        post(json.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertStatus(413, RESOURCE_EXHAUSTED, "max-body-bytes");
        assertNoTrace(trace);
    }

    // ---------------------------------------------------------------------------------------------
    // Transport: content type, content encoding, method

    @Test
    @Order(12)
    void anotherContentTypeIs415() {
        String trace = newTraceId();
        byte[] body = request(root(trace, 1)).toByteArray();
        for (String type : List.of("text/plain", "application/grpc", "application/octet-stream", "application/protobuf+json")) {
            Answer answer = post(body, type, Map.of());
            answer.assertStatus(415, INVALID_ARGUMENT, "Content-Type");
            assertEquals(JSON, answer.mediaType(), "an unknown encoding is answered in OTLP/JSON");
        }
        post(body, null, Map.of()).assertStatus(415, INVALID_ARGUMENT, "Content-Type");
        post(body, PROTOBUF, Map.of("Content-Encoding", "br")).assertStatus(415, INVALID_ARGUMENT, "Content-Encoding");
        assertNoTrace(trace);
        // Parameters of the media type are no reason to refuse.
        post(body, PROTOBUF + "; charset=binary", Map.of()).assertAccepted(0);
    }

    @Test
    @Order(13)
    void gzipGarbageIs400() {
        String trace = newTraceId();
        byte[] body = request(root(trace, 1), child(trace, 2, 1, "execute_tool grep")).toByteArray();
        byte[] zipped = gzip(body);
        byte[] noise = new byte[1024];
        new Random(1).nextBytes(noise);
        byte[] zippedNoise = gzip(noise);
        List<byte[]> garbage = List.of(
                body,                                                  // not compressed at all
                noise,
                Arrays.copyOf(zipped, zipped.length / 2),              // cut short
                Arrays.copyOf(zipped, 10));                            // a header and nothing
        for (byte[] g : garbage) {
            post(g, PROTOBUF, Map.of("Content-Encoding", "gzip")).assertStatus(400, INVALID_ARGUMENT, null);
        }
        // Valid gzip of a body that is no protobuf: the body's fault, also 400.
        post(zippedNoise, PROTOBUF, Map.of("Content-Encoding", "gzip")).assertStatus(400, INVALID_ARGUMENT, "protobuf");
        post(Arrays.copyOf(gzip("{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_8)), 12), JSON,
                Map.of("Content-Encoding", "gzip")).assertStatus(400, INVALID_ARGUMENT, null);
        assertNoTrace(trace);
        post(zipped, PROTOBUF, Map.of("Content-Encoding", "gzip")).assertAccepted(0);
        assertEquals(Set.of(spanId(1), spanId(2)), storedSpanIds(trace));
    }

    @Test
    @Order(14)
    void otherMethodsAre405WithAllow() {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpRequest request = HttpRequest.newBuilder(api.uri("v1/traces"))
                    .method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                    .timeout(WAIT).build();
            Answer answer = send(request);
            answer.assertStatus(405, INVALID_ARGUMENT, "POST");
            assertTrue(answer.response.headers().firstValue("Allow").orElse("").contains("POST"), method);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Redis down: last, since it restarts this class's Redis (which loses everything)

    @Test
    @Order(100)
    void withRedisDownAnExportIs503WithRetryAfterAndTheRetryIsStoredOnce() throws Exception {
        String trace = newTraceId();
        byte[] body = request(root(trace, 1), child(trace, 2, 1, "invoke_agent planner")
                .addAttributes(str("gen_ai.operation.name", "invoke_agent")).addAttributes(str("gen_ai.agent.name", "planner")),
                child(trace, 3, 2, "execute_tool grep")).toByteArray();
        int events = 4 + 3 + 1;
        String json = jsonExport(jsonSpan(trace, spanId(4), spanId(1), "execute_tool ls")).toString();

        REDIS.stop();
        try {
            long started = System.nanoTime();
            Answer refused = post(body, PROTOBUF, Map.of());
            long millis = (System.nanoTime() - started) / 1_000_000;
            refused.assertStatus(503, UNAVAILABLE, "unavailable");
            assertTrue(refused.response.headers().firstValue("Retry-After").orElse("").matches("\\d+"),
                    "Retry-After in seconds: " + refused.response.headers().map());
            System.out.printf("OtlpBadInputIT: 503 answered in %d ms with Redis down%n", millis);
            Answer refusedJson = post(json.getBytes(StandardCharsets.UTF_8), JSON, Map.of());
            refusedJson.assertStatus(503, UNAVAILABLE, "unavailable");
            assertTrue(refusedJson.response.headers().firstValue("Retry-After").isPresent());
        } finally {
            REDIS.start();
        }
        awaitReady();
        // The exporter retries; a retry after a lost answer comes twice.
        post(body, PROTOBUF, Map.of()).assertAccepted(0);
        post(body, PROTOBUF, Map.of()).assertAccepted(0);
        post(json.getBytes(StandardCharsets.UTF_8), JSON, Map.of()).assertAccepted(0);
        List<JsonObject> stored = storedEvents(trace);
        assertEquals(events + 1, stored.size(), "each span's events stored once: " + stored);
        assertEquals(Set.of(spanId(1), spanId(2), spanId(3), spanId(4)), storedSpanIds(trace));
    }

    // ---------------------------------------------------------------------------------------------
    // Requests and answers

    /** An answer, with its body read as the OTLP/HTTP specification says it is written. */
    record Answer(HttpResponse<byte[]> response, String requestMediaType) {

        int status() {
            return response.statusCode();
        }

        String mediaType() {
            return response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        }

        /** A refusal: the status, a google.rpc.Status body with that code, a message that says why. */
        void assertStatus(int status, int code, String messageContains) {
            assertEquals(status, status(), describe());
            String expectedType = PROTOBUF.equals(requestMediaType) ? PROTOBUF : JSON;
            assertEquals(expectedType, mediaType(), "answered in the request's encoding: " + describe());
            RpcStatus rpc = expectedType.equals(PROTOBUF) ? RpcStatus.fromProtobuf(response.body()) : RpcStatus.fromJson(response.body());
            assertEquals(code, rpc.code(), describe());
            assertFalse(rpc.message().isBlank(), describe());
            if (messageContains != null) {
                assertTrue(rpc.message().contains(messageContains), "the message says why: " + rpc.message());
            }
        }

        /** A 200 with an ExportTraceServiceResponse; returns its error message ("" when none). */
        String assertAccepted(long rejectedSpans) {
            assertEquals(200, status(), describe());
            assertEquals(PROTOBUF.equals(requestMediaType) ? PROTOBUF : JSON, mediaType(), describe());
            long rejected;
            String message;
            if (PROTOBUF.equals(requestMediaType)) {
                try {
                    ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(response.body());
                    rejected = r.getPartialSuccess().getRejectedSpans();
                    message = r.getPartialSuccess().getErrorMessage();
                    assertEquals(rejectedSpans > 0, r.hasPartialSuccess(), "partial_success only when spans were rejected");
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("not an ExportTraceServiceResponse: " + describe(), e);
                }
            } else {
                JsonObject r = Json.createReader(new StringReader(text())).readObject();
                JsonObject partial = r.getJsonObject("partialSuccess");
                assertEquals(rejectedSpans > 0, partial != null, "partialSuccess only when spans were rejected: " + r);
                // OTLP/JSON writes int64 as a string; a number is read too.
                rejected = partial == null ? 0 : Long.parseLong(partial.get("rejectedSpans").toString().replace("\"", ""));
                message = partial == null ? "" : partial.getString("errorMessage", "");
            }
            assertEquals(rejectedSpans, rejected, "rejected_spans: " + message);
            assertEquals(rejectedSpans > 0, !message.isEmpty(), "an error message exactly when spans were rejected: " + message);
            return message;
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        String describe() {
            byte[] body = response.body();
            String shown = PROTOBUF.equals(mediaType()) ? HexFormat.of().formatHex(body, 0, Math.min(body.length, 200))
                    : text().substring(0, Math.min(text().length(), 400));
            return response.statusCode() + " " + mediaType() + ": " + shown;
        }
    }

    /** A {@code google.rpc.Status}: field 1 code, field 2 message (details, field 3, not looked at). */
    record RpcStatus(int code, String message) {

        static RpcStatus fromJson(byte[] body) {
            JsonObject o = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
            return new RpcStatus(o.getInt("code", 0), o.getString("message", ""));
        }

        /** Read by hand from the wire format, independently of the server's writer. */
        static RpcStatus fromProtobuf(byte[] body) {
            ByteBuffer in = ByteBuffer.wrap(body);
            int code = 0;
            String message = "";
            while (in.hasRemaining()) {
                long tag = varint(in);
                int field = (int) (tag >>> 3);
                int wireType = (int) (tag & 7);
                if (field == 1 && wireType == 0) {
                    code = (int) varint(in);
                } else if (wireType == 2) {
                    byte[] bytes = new byte[(int) varint(in)];
                    in.get(bytes);
                    if (field == 2) {
                        message = new String(bytes, StandardCharsets.UTF_8);
                    }
                } else if (wireType == 0) {
                    varint(in);
                } else {
                    throw new AssertionError("unexpected wire type " + wireType + " in a google.rpc.Status");
                }
            }
            return new RpcStatus(code, message);
        }

        private static long varint(ByteBuffer in) {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }

    private Answer post(byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("v1/traces"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.build(), contentType == null ? null : contentType.split(";")[0].trim());
    }

    private Answer send(HttpRequest request) {
        return send(request, null);
    }

    /** Sends, and fails on any 5xx but the 503 of a store that is down. */
    private static Answer send(HttpRequest request, String mediaType) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Answer answer = new Answer(response, mediaType);
            assertTrue(response.statusCode() < 500 || response.statusCode() == 503, "never a server error: " + answer.describe());
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nothing of a refused request was stored: its trace does not exist. */
    private void assertNoTrace(String traceId) {
        HttpResponse<String> summary = api.get("traces/" + traceId);
        assertEquals(404, summary.statusCode(), "trace " + traceId + " must not exist: " + summary.body());
    }

    /** Every stored event of the trace, oldest first, page by page. */
    private List<JsonObject> storedEvents(String traceId) {
        List<JsonObject> all = new ArrayList<>();
        String after = "";
        while (true) {
            HttpResponse<String> response = api.get("traces/" + traceId + "/events?limit=1000" + (after.isEmpty() ? "" : "&after=" + after));
            assertEquals(200, response.statusCode(), response.body());
            JsonObject page = Api.json(response);
            all.addAll(page.getJsonArray("events").getValuesAs(JsonObject.class));
            if (!page.containsKey("next_after")) {
                return all;
            }
            after = page.getString("next_after");
        }
    }

    private Set<String> storedSpanIds(String traceId) {
        Set<String> ids = new HashSet<>();
        storedEvents(traceId).forEach(e -> ids.add(e.getString("span_id")));
        return ids;
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = api.get(api.serverUri("health/ready"), Map.of()).statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready again after Redis restarted: " + status);
    }

    // ---------------------------------------------------------------------------------------------
    // Spans, built with the published protocol classes (protobuf) or JSON-P (OTLP/JSON)

    static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String spanId(int n) {
        return Otlp.spanId(n);
    }

    static ByteString bytes(String hex) {
        return Otlp.bytes(hex);
    }

    static KeyValue str(String key, String value) {
        return Otlp.str(key, value);
    }

    static Span.Builder span(String trace, int id, int parent, String name, long startNanos, long endNanos) {
        Span.Builder b = Span.newBuilder().setTraceId(bytes(trace)).setSpanId(bytes(spanId(id))).setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(startNanos).setEndTimeUnixNano(endNanos);
        if (parent != 0) {
            b.setParentSpanId(bytes(spanId(parent)));
        }
        return b;
    }

    /** An invoke_workflow root of 1 s, ended OK. */
    static Span.Builder root(String trace, int id) {
        return span(trace, id, 0, "invoke_workflow review", T0, T0 + 1_000_000_000L)
                .addAttributes(str("gen_ai.operation.name", "invoke_workflow"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }

    static Span.Builder child(String trace, int id, int parent, String name) {
        return span(trace, id, parent, name, T0 + 100_000_000L, T0 + 200_000_000L);
    }

    static ExportTraceServiceRequest request(Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (Span.Builder s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "bad-input-it"))
                        .addAttributes(KeyValue.newBuilder().setKey("service.instance.id")
                                .setValue(AnyValue.newBuilder().setIntValue(1))))
                .addScopeSpans(scope)).build();
    }

    /** A span in OTLP/JSON: hex ids, times as decimal strings (64-bit integers), of 100 ms. */
    static JsonObjectBuilder jsonSpan(String trace, String span, String parent, String name) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("traceId", trace).add("spanId", span).add("name", name)
                .add("kind", 1).add("startTimeUnixNano", Long.toString(T0)).add("endTimeUnixNano", Long.toString(T0 + 100_000_000L));
        if (parent != null) {
            b.add("parentSpanId", parent);
        }
        return b;
    }

    static JsonObject jsonExport(JsonObjectBuilder... spans) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (JsonObjectBuilder s : spans) {
            list.add(s);
        }
        return Json.createObjectBuilder().add("resourceSpans", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("resource", Json.createObjectBuilder().add("attributes", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("key", "service.name")
                                .add("value", Json.createObjectBuilder().add("stringValue", "bad-input-it")))))
                .add("scopeSpans", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("scope", Json.createObjectBuilder().add("name", "hand-made"))
                        .add("spans", list))))).build();
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
