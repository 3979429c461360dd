package io.tracestream.fuzz;

import static io.tracestream.fuzz.HostileText.pick;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * JSON API ingest requests: valid events (hostile text in every string) built as a tree, then
 * mutated, in the tree (a field dropped, of the wrong type, too long, an odd number, deep nesting,
 * a duplicate key) and in the bytes (a flipped, inserted or removed byte, a cut, invalid UTF-8, a
 * BOM, raw control characters). The trace id is the placeholder {@link #TRACE}, bound per request
 * when it is sent, so that every request writes to a trace of its own.
 */
final class JsonBodies {

    static final String TRACE = "@@TRACE@@";
    /** A valid trace id other than the request's: the body names another trace than the path. */
    static final String OTHER_TRACE = "@@OTHER@@";

    enum Route { TRACE_PATH, EVENTS_HEADER, EVENTS_BODY }

    /** One request; {@code mutations} say what was done to the valid body, for the failure report. */
    record Input(Route route, String contentType, byte[] body, List<String> mutations) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return route + " " + contentType + " " + mutations + " " + body.length + " bytes: "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        }
    }

    /** A number written as it is, not as Java would print it. */
    record Raw(String text) {}

    static final List<String> EVENT_TYPES = List.of("workflow_started", "workflow_completed", "workflow_failed",
            "agent_called", "task_started", "task_completed", "task_failed", "agent_transition", "llm_call",
            "tool_call", "message");
    static final List<String> STRING_FIELDS = List.of("event_type", "agent_id", "span_id", "parent_span_id",
            "task_id", "status", "model", "event_id", "timestamp", "trace_id");
    static final List<String> NUMBER_FIELDS = List.of("duration_ms", "input_tokens", "output_tokens", "cost_usd");
    static final List<String> ODD_NUMBERS = List.of("1e999", "-0", "18446744073709551616", "-1", "1.5",
            "1e-999999999", "1e999999999", "0.1e1", "9".repeat(1200), "-9223372036854775808", "9223372036854775807",
            "1E+2", "0.30000000000000004", "1000000001", "1e-31", "NaN", "Infinity", "01", "+1", "1.", ".5", "0x10");
    static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "application/json",
            "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json-seq",
            "text/plain", "application/x-www-form-urlencoded", "");
    static final List<String> TIMESTAMPS = List.of("2025-01-20T10:30:45Z", "2025-01-20T10:30:45.123+02:00",
            "1970-01-01T00:00:00Z", "2199-12-31T23:59:59.999999999Z", "2025-01-20T10:30:45+18:00", "2025-01-20T10:30:45-18:00");
    static final List<String> ODD_TIMESTAMPS = List.of("2262-04-11T23:47:16.854775807Z", "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59-18:00", "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z",
            "2025-01-20T10:30:45", "2025-02-30T10:30:45Z", "2025-01-20", "");
    static final List<Integer> DEPTHS = List.of(3, 10, 60, 61, 62, 63, 64, 65, 200, 1000, 5000, 100_000);

    private JsonBodies() {}

    static Input input(Random r) {
        Route route = pick(r, List.of(Route.values()));
        List<Map<String, Object>> events = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? 2 + r.nextInt(5) : 1;
        for (int i = 0; i < n; i++) {
            events.add(event(r, route));
        }
        boolean single = n == 1 && r.nextBoolean();
        List<String> mutations = new ArrayList<>();
        int treeMutations = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(2);
        for (int i = 0; i < treeMutations; i++) {
            mutations.add(mutate(r, events.get(r.nextInt(events.size()))));
        }
        StringBuilder json = new StringBuilder();
        if (single) {
            write(json, events.get(0));
        } else {
            write(json, events);
        }
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(4) == 0) {
            String what = pick(r, List.of("flip", "insert", "delete", "cut", "utf8", "bom", "control", "empty",
                    "whitespace", "wrap", "lone-surrogate-raw"));
            mutations.add(what);
            body = mutateBytes(r, what, body);
        }
        String contentType = r.nextInt(8) == 0 ? pick(r, CONTENT_TYPES) : "application/json";
        return new Input(route, contentType, body, mutations);
    }

    /** A valid event, hostile in every string the rules allow. */
    static Map<String, Object> event(Random r, Route route) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (route == Route.EVENTS_BODY || r.nextInt(4) == 0) {
            e.put("trace_id", TRACE);
        }
        e.put("event_type", r.nextBoolean() ? pick(r, EVENT_TYPES) : short256(r));
        e.put("agent_id", short256(r));
        for (String f : List.of("span_id", "parent_span_id", "task_id", "status", "model", "event_id")) {
            if (r.nextInt(3) == 0) {
                e.put(f, short256(r));
            }
        }
        if (r.nextInt(3) == 0) {
            e.put("timestamp", pick(r, TIMESTAMPS));
        }
        for (String f : List.of("duration_ms", "input_tokens", "output_tokens")) {
            if (r.nextInt(3) == 0) {
                e.put(f, (long) r.nextInt(1_000_000));
            }
        }
        if (r.nextInt(3) == 0) {
            e.put("cost_usd", BigDecimal.valueOf(r.nextInt(100_000), r.nextInt(8)));
        }
        if (r.nextInt(4) == 0) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", short256(r));
            error.put("message", text(r));
            e.put("error", error);
        }
        if (r.nextInt(2) == 0) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            int count = r.nextInt(5);
            for (int i = 0; i < count; i++) {
                Object value = switch (r.nextInt(4)) {
                    case 0 -> text(r);
                    case 1 -> (long) r.nextInt();
                    case 2 -> r.nextBoolean();
                    default -> BigDecimal.valueOf(r.nextLong(), r.nextInt(20) - 10);
                };
                attributes.put(short256(r), value);
            }
            e.put("attributes", attributes);
        }
        return e;
    }

    /** A hostile string within the 256-character limit and not empty (as a valid event needs). */
    private static String short256(Random r) {
        String s = HostileText.string(r);
        return s.length() > 256 ? s.substring(0, 256) : s;
    }

    private static String text(Random r) {
        String s = HostileText.value(r);
        return s.length() > 65_536 ? s.substring(0, 65_536) : s;
    }

    @SuppressWarnings("unchecked")
    private static String mutate(Random r, Map<String, Object> e) {
        switch (r.nextInt(13)) {
            case 0 -> {
                String f = pick(r, List.of("event_type", "agent_id"));
                e.remove(f);
                return "drop " + f;
            }
            case 1 -> {
                String f = pick(r, List.of("event_type", "agent_id", "span_id", "error", "attributes", "cost_usd",
                        "duration_ms", "timestamp", "trace_id"));
                // No valid trace id among them: a trace id must stay unique to its input.
                Object wrong = pick(r, List.of(new Raw("12"), new Raw("true"), new Raw("null"), List.of("x"),
                        Map.of("a", "b"), "1 2", "", new Raw("-0.0")));
                e.put(f, wrong);
                return "wrong type " + f + "=" + wrong;
            }
            case 2 -> {
                e.put(pick(r, List.of("inputs", "content", "foo", "ID", "Agent_Id", "")), Map.of("nested", List.of(1, "two")));
                return "unknown field"; // content is the server's: refused from a producer as unknown ones are
            }
            case 3 -> {
                String f = pick(r, STRING_FIELDS);
                int length = pick(r, List.of(257, 1000, 65_537));
                e.put(f, HostileText.repeatTo(HostileText.string(r), length));
                return "long " + f + " " + length;
            }
            case 4 -> {
                String f = pick(r, NUMBER_FIELDS);
                String n = pick(r, ODD_NUMBERS);
                e.put(f, new Raw(n));
                return "number " + f + "=" + (n.length() > 30 ? n.length() + " digits" : n);
            }
            case 5 -> {
                int depth = pick(r, DEPTHS);
                String open = r.nextBoolean() ? "[" : "{\"k\":";
                String close = open.equals("[") ? "]" : "}";
                String key = pick(r, List.of("attributes", "input", "error"));
                Object inner = key.equals("attributes") ? Map.of("deep", new Raw(open.repeat(depth) + "1" + close.repeat(depth)))
                        : new Raw(open.repeat(depth) + "1" + close.repeat(depth));
                e.put(key, inner);
                return "deep " + key + " " + depth;
            }
            case 6 -> {
                String f = pick(r, List.of("agent_id", "event_type", "span_id"));
                e.put(f, "");
                return "empty " + f;
            }
            case 7 -> {
                e.put("attributes", Map.of("x", Map.of("y", 1)));
                return "attribute not scalar";
            }
            case 8 -> {
                Map<String, Object> many = new LinkedHashMap<>();
                for (int i = 0; i < 129; i++) {
                    many.put("k" + i, i);
                }
                e.put("attributes", many);
                return "129 attributes";
            }
            case 9 -> {
                e.put("trace_id", pick(r, List.of(OTHER_TRACE, "", "a b", "../x", "x".repeat(129), "<script>")));
                return "trace_id " + e.get("trace_id");
            }
            case 10 -> {
                String f = pick(r, List.of("agent_id", "event_type", "model"));
                e.put("\u0000dup:" + f, e.get(f));
                return "duplicate " + f;
            }
            case 11 -> {
                e.put("timestamp", pick(r, ODD_TIMESTAMPS));
                return "timestamp " + e.get("timestamp");
            }
            default -> {
                String f = pick(r, STRING_FIELDS);
                e.put(f, new Raw("null"));
                return "null " + f;
            }
        }
    }

    private static byte[] mutateBytes(Random r, String what, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 16);
        int at = body.length == 0 ? 0 : r.nextInt(body.length);
        switch (what) {
            case "flip" -> {
                byte[] copy = body.clone();
                if (copy.length > 0) {
                    copy[at] ^= (byte) (1 << r.nextInt(8));
                }
                return copy;
            }
            case "insert" -> {
                out.write(body, 0, at);
                out.write(pick(r, List.<Integer>of(0, (int) '"', (int) '{', (int) '[', (int) ']', (int) '}', (int) ',', (int) ':', (int) '\\', 0xC3, 0xFF, (int) '\n', 0x80, 0xED)));
                out.write(body, at, body.length - at);
            }
            case "delete" -> {
                int length = Math.min(body.length - at, 1 + r.nextInt(8));
                out.write(body, 0, at);
                out.write(body, at + length, body.length - at - length);
            }
            case "cut" -> out.write(body, 0, at);
            case "utf8" -> {
                out.write(body, 0, at);
                byte[][] invalid = {{(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
                out.writeBytes(invalid[r.nextInt(invalid.length)]);
                out.write(body, at, body.length - at);
            }
            case "bom" -> {
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(body);
            }
            case "control" -> {
                // A raw control character: inside a string it makes the JSON invalid.
                String text = new String(body, StandardCharsets.UTF_8);
                int quote = text.indexOf("\":\"");
                String changed = quote < 0 ? text : text.substring(0, quote + 3) + pick(r, List.of("\u0000", "\n", "\r", "\u001F"))
                        + text.substring(quote + 3);
                return changed.getBytes(StandardCharsets.UTF_8);
            }
            case "empty" -> { }
            case "whitespace" -> out.writeBytes(" \r\n\t ".getBytes(StandardCharsets.US_ASCII));
            case "wrap" -> {
                int depth = pick(r, DEPTHS);
                out.writeBytes("[".repeat(depth).getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("]".repeat(depth).getBytes(StandardCharsets.US_ASCII));
            }
            case "lone-surrogate-raw" -> {
                // CESU-style bytes of U+D800: not UTF-8.
                String text = new String(body, StandardCharsets.UTF_8);
                int quote = text.indexOf("\":\"");
                String head = quote < 0 ? text : text.substring(0, quote + 3);
                out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
                out.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
                out.writeBytes(text.substring(head.length()).getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new IllegalArgumentException(what);
        }
        return out.toByteArray();
    }

    /** JSON text of the tree: strings escaped as JSON requires (lone surrogates as \\u escapes, the rest as UTF-8). */
    @SuppressWarnings("unchecked")
    static void write(StringBuilder out, Object value) {
        if (value instanceof Raw raw) {
            out.append(raw.text());
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                String key = (String) e.getKey();
                // A key starting with NUL names a duplicate of the key after the colon.
                quote(out, key.startsWith("\u0000dup:") ? key.substring(5) : key);
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof BigDecimal d) {
            out.append(d.toString());
        } else {
            out.append(value);
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || lone) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
