package io.tracestream.fuzz;

import static io.tracestream.fuzz.HostileText.pick;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.testing.OtlpSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP/HTTP trace exports: valid requests built with the protocol classes (hostile span names,
 * attribute keys and values, GenAI attributes, nested array and kvlist values), encoded as
 * protobuf or OTLP/JSON, then mutated: bytes flipped, inserted or cut, JSON values of the wrong
 * type, ids that are not hex, deep nesting, gzip that is not.
 */
final class OtlpBodies {

    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    private static final List<String> KEYS = List.of("gen_ai.operation.name", "gen_ai.agent.name", "gen_ai.request.model",
            "gen_ai.provider.name", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.cost",
            "gen_ai.tool.name", "gen_ai.conversation.id", "session.id", "openinference.span.kind", "llm.cost.total",
            "input.value", "output.value", "error.type", "service.name", "ai.toolCall.name", "x");

    /** One request; the OTel trace ids it carries, as the 32 hex characters Trace Stream names traces by. */
    record Input(String contentType, String contentEncoding, byte[] body, List<String> traceIds, List<String> mutations) {
        @Override
        public String toString() {
            return contentType + " " + contentEncoding + " " + mutations + " traces " + traceIds + ", " + body.length
                    + " bytes: " + (contentType.equals(JSON) && contentEncoding == null
                    ? cut(new String(body, StandardCharsets.UTF_8)) : HexFormat.of().formatHex(body, 0, Math.min(300, body.length)));
        }

        private static String cut(String s) {
            return s.length() > 600 ? s.substring(0, 600) + "..." : s;
        }
    }

    private OtlpBodies() {}

    static Input input(Random r) {
        List<String> traceIds = new ArrayList<>();
        ExportTraceServiceRequest request = request(r, traceIds);
        boolean json = r.nextBoolean();
        List<String> mutations = new ArrayList<>();
        byte[] body = json ? OtlpSpans.json(request).getBytes(StandardCharsets.UTF_8) : request.toByteArray();
        if (json && r.nextInt(3) == 0) {
            String what = pick(r, List.of("name-object", "time-text", "kind-text", "id-number", "id-not-hex",
                    "deep", "value-wrong", "array-for-object", "lone-surrogate", "huge-number"));
            mutations.add(what);
            body = mutateJson(r, what, new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        if (r.nextInt(3) == 0) {
            String what = pick(r, List.of("flip", "flip", "insert", "cut", "cut", "duplicate-tail"));
            mutations.add(what);
            body = mutateBytes(r, what, body);
        }
        String encoding = null;
        int e = r.nextInt(10);
        if (e == 0) {
            encoding = "gzip";
            body = gzip(body);
            if (r.nextBoolean()) {
                mutations.add("gzip cut");
                body = java.util.Arrays.copyOf(body, Math.max(0, body.length - 1 - r.nextInt(8)));
            }
        } else if (e == 1) {
            encoding = pick(r, List.of("gzip", "deflate", "br", "identity", "GZIP", "x"));
            mutations.add("Content-Encoding " + encoding + " on a plain body");
        }
        String contentType = json ? JSON : PROTOBUF;
        if (r.nextInt(15) == 0) {
            contentType = pick(r, List.of("application/protobuf", "text/plain", "", "application/json; charset=utf-8",
                    "application/x-protobuf; proto=x"));
            mutations.add("Content-Type " + contentType);
        }
        return new Input(contentType, encoding, body, traceIds, mutations);
    }

    static ExportTraceServiceRequest request(Random r, List<String> traceIds) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int traces = 1 + r.nextInt(2);
        List<ByteString> ids = new ArrayList<>();
        for (int t = 0; t < traces; t++) {
            byte[] id = new byte[16];
            r.nextBytes(id);
            ids.add(ByteString.copyFrom(id));
            traceIds.add(HexFormat.of().formatHex(id));
        }
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(HostileText.string(r)));
        int spans = 1 + r.nextInt(6);
        long t0 = 1_767_225_600_000_000_000L + r.nextInt(1_000_000) * 1_000_000L;
        for (int s = 0; s < spans; s++) {
            byte[] spanId = new byte[8];
            r.nextBytes(spanId);
            Span.Builder span = Span.newBuilder().setTraceId(pick(r, ids)).setSpanId(ByteString.copyFrom(spanId))
                    .setName(HostileText.value(r)).setKind(Span.SpanKind.forNumber(r.nextInt(6)))
                    .setStartTimeUnixNano(t0 + s * 1_000_000L).setEndTimeUnixNano(t0 + s * 1_000_000L + r.nextInt(5_000_000));
            if (s > 0 && r.nextBoolean()) {
                byte[] parent = new byte[8];
                r.nextBytes(parent);
                span.setParentSpanId(ByteString.copyFrom(parent));
            }
            int attributes = r.nextInt(5);
            for (int a = 0; a < attributes; a++) {
                span.addAttributes(KeyValue.newBuilder().setKey(r.nextBoolean() ? pick(r, KEYS) : HostileText.string(r))
                        .setValue(value(r, 0)));
            }
            if (r.nextInt(4) == 0) {
                span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(HostileText.value(r)));
            }
            if (r.nextInt(5) == 0) {
                span.addEvents(Span.Event.newBuilder().setName(HostileText.string(r)).setTimeUnixNano(t0)
                        .addAttributes(KeyValue.newBuilder().setKey("exception.message").setValue(value(r, 0))));
            }
            scope.addSpans(span);
        }
        request.addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(HostileText.string(r)))))
                .addScopeSpans(scope));
        return request.build();
    }

    private static AnyValue value(Random r, int depth) {
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (depth > 3 ? r.nextInt(5) : r.nextInt(7)) {
            case 0 -> v.setStringValue(HostileText.value(r));
            case 1 -> v.setIntValue(r.nextBoolean() ? r.nextInt(100_000) : r.nextLong());
            case 2 -> v.setDoubleValue(pick(r, List.of(0.25, -1.0, Double.NaN, Double.POSITIVE_INFINITY, 1e308, -0.0, 4.9e-324)));
            case 3 -> v.setBoolValue(r.nextBoolean());
            case 4 -> v.setBytesValue(ByteString.copyFromUtf8(HostileText.string(r)));
            case 5 -> v.setArrayValue(ArrayValue.newBuilder().addValues(value(r, depth + 1)).addValues(value(r, depth + 1)));
            default -> v.setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder()
                    .setKey(HostileText.string(r)).setValue(value(r, depth + 1))));
        }
        return v.build();
    }

    private static String mutateJson(Random r, String what, String json) {
        return switch (what) {
            case "name-object" -> json.replaceFirst("\"name\":\"", "\"name\":{\"a\":1},\"x\":\"");
            case "time-text" -> json.replaceFirst("\"startTimeUnixNano\":\"[0-9]+\"", "\"startTimeUnixNano\":\"soon\"");
            case "kind-text" -> json.replaceFirst("\"kind\":\"?[A-Z_0-9]*\"?", "\"kind\":" + pick(r, List.of("\"x\"", "99", "-1", "{}", "1.5")));
            case "id-number" -> json.replaceFirst("\"spanId\":\"[0-9a-f]*\"", "\"spanId\":12");
            case "id-not-hex" -> json.replaceFirst("\"traceId\":\"[0-9a-f]*\"", "\"traceId\":\"" + pick(r, List.of("zz", "0", "00", "0".repeat(32), "ABCDEF0123456789ABCDEF0123456789", "\\u0000")) + "\"");
            case "deep" -> {
                int depth = pick(r, JsonBodies.DEPTHS);
                yield json.replaceFirst("\"resourceSpans\":", "\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"resourceSpans\":");
            }
            case "value-wrong" -> json.replaceFirst("\"stringValue\":\"", "\"intValue\":\"12x\",\"s\":\"");
            case "array-for-object" -> json.replaceFirst("\"resource\":\\{", "\"resource\":[{").replaceFirst("\\},\"scopeSpans\"", "}],\"scopeSpans\"");
            case "lone-surrogate" -> json.replaceFirst("\"name\":\"", "\"name\":\"\\\\ud800");
            case "huge-number" -> json.replaceFirst("\"endTimeUnixNano\":\"[0-9]+\"", "\"endTimeUnixNano\":" + pick(r, List.of("1e999", "18446744073709551616", "-1", "9".repeat(1200))));
            default -> throw new IllegalArgumentException(what);
        };
    }

    private static byte[] mutateBytes(Random r, String what, byte[] body) {
        byte[] copy = body.clone();
        int at = body.length == 0 ? 0 : r.nextInt(body.length);
        switch (what) {
            case "flip" -> {
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips && copy.length > 0; i++) {
                    copy[r.nextInt(copy.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return copy;
            }
            case "insert" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1);
                out.write(body, 0, at);
                out.write(r.nextInt(256));
                out.write(body, at, body.length - at);
                return out.toByteArray();
            }
            case "cut" -> {
                return java.util.Arrays.copyOf(body, at);
            }
            case "duplicate-tail" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 2);
                out.writeBytes(body);
                out.write(body, at, body.length - at);
                return out.toByteArray();
            }
            default -> throw new IllegalArgumentException(what);
        }
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
