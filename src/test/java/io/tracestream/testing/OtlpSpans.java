package io.tracestream.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the spans out of an OTLP/HTTP protobuf export ({@code ExportTraceServiceRequest}), with
 * just enough of the protobuf wire format for the fields tests look at: ids, name, kind and
 * the attributes whose values are strings, integers or booleans (others are skipped). And the
 * other way: an export built with the published OTLP classes, written as OTLP/JSON ({@link #json}).
 */
public final class OtlpSpans {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final Pattern ID_MEMBER = Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([^\"]*)\"");

    /** One exported span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
    public record Span(String traceId, String spanId, String parentSpanId, String name, int kind,
                       Map<String, String> attributes) {}

    private OtlpSpans() {}

    /**
     * OTLP/JSON: proto3 JSON with the ids as hex, as the OTLP specification writes them (64-bit
     * times as decimal strings; enums by name, which receivers take as well as numbers).
     */
    public static String json(ExportTraceServiceRequest request) {
        String proto3;
        try {
            proto3 = PRINTER.print(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        Matcher m = ID_MEMBER.matcher(proto3);
        StringBuilder out = new StringBuilder(proto3.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("\"" + m.group(1) + "\":\""
                    + HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(2))) + "\""));
        }
        return m.appendTail(out).toString();
    }

    /** An OTLP/JSON export of one span in each of these traces (32 hex digits each), written by hand. */
    public static String otlpJson(String... traceIds) {
        long now = System.currentTimeMillis() * 1_000_000L;
        StringBuilder spans = new StringBuilder();
        for (int i = 0; i < traceIds.length; i++) {
            spans.append(i == 0 ? "" : ",").append("{\"traceId\":\"").append(traceIds[i]).append("\",\"spanId\":\"")
                    .append(String.format("%016x", i + 1)).append("\",\"name\":\"invoke_agent planner\",\"kind\":1,")
                    .append("\"startTimeUnixNano\":\"").append(now).append("\",\"endTimeUnixNano\":\"").append(now + 1_000_000)
                    .append("\",\"attributes\":[{\"key\":\"gen_ai.agent.name\",\"value\":{\"stringValue\":\"planner\"}}]}");
        }
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"it\"}}]},"
                + "\"scopeSpans\":[{\"scope\":{\"name\":\"it\"},\"spans\":[" + spans + "]}]}]}";
    }

    public static List<Span> parse(byte[] export) {
        List<Span> spans = new ArrayList<>();
        for (Field resourceSpans : fields(export)) {
            if (resourceSpans.number == 1) {
                for (Field scopeSpans : fields(resourceSpans.bytes)) {
                    if (scopeSpans.number == 2) {
                        for (Field span : fields(scopeSpans.bytes)) {
                            if (span.number == 2) {
                                spans.add(span(span.bytes));
                            }
                        }
                    }
                }
            }
        }
        return spans;
    }

    private static Span span(byte[] bytes) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field f : fields(bytes)) {
            switch (f.number) {
                case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.varint;
                case 9 -> keyValue(f.bytes, attributes);
                default -> { }
            }
        }
        return new Span(traceId, spanId, parent, name, kind, Map.copyOf(attributes));
    }

    private static void keyValue(byte[] bytes, Map<String, String> into) {
        String key = null;
        String value = null;
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                key = new String(f.bytes, StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                for (Field v : fields(f.bytes)) {
                    switch (v.number) {
                        case 1 -> value = new String(v.bytes, StandardCharsets.UTF_8);
                        case 2 -> value = Boolean.toString(v.varint != 0);
                        case 3 -> value = Long.toString(v.varint);
                        default -> { }
                    }
                }
            }
        }
        if (key != null && value != null) {
            into.put(key, value);
        }
    }

    /** One field of a message: its number, and its value as bytes (length-delimited) or a number. */
    private record Field(int number, byte[] bytes, long varint) {}

    private static List<Field> fields(byte[] message) {
        List<Field> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            long tag = varint(in);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> out.add(new Field(number, null, varint(in)));
                case 1 -> out.add(new Field(number, null, in.getLong()));
                case 2 -> {
                    byte[] b = new byte[(int) varint(in)];
                    in.get(b);
                    out.add(new Field(number, b, 0));
                }
                case 5 -> out.add(new Field(number, null, in.getInt()));
                default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
            }
        }
        return out;
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
