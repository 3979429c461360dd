package io.tracestream.domain;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of a {@link TraceEvent}: snake_case names, absent fields left out.
 *
 * <p>Reading collects every problem it finds, each named by its path, instead of stopping at the
 * first: a producer fixes a batch in one round. The limits themselves are {@link TraceEventRules},
 * shared with the adapters that build events from other formats. Writing is by hand rather than
 * through a JSON library because it runs once per stored event on the hot path, and the shape is
 * fixed.
 */
public final class TraceEventJson {

    /** Longest accepted value of an identifier-like field (agent, span, task, model, ...). */
    public static final int MAX_NAME_LENGTH = TraceEventRules.MAX_NAME_LENGTH;
    /** Longest accepted free text (error message, attribute value): room for a stack trace. */
    public static final int MAX_TEXT_LENGTH = TraceEventRules.MAX_TEXT_LENGTH;
    public static final int MAX_ATTRIBUTES = TraceEventRules.MAX_ATTRIBUTES;

    private static final Set<String> KNOWN_FIELDS = Set.of(
            "id", "trace_id", "event_type", "agent_id", "timestamp", "span_id", "parent_span_id",
            "task_id", "status", "duration_ms", "error", "model", "input_tokens", "output_tokens",
            "cost_usd", "event_id", "attributes", "input", "output", "content");

    /** What a call was given and answered, as a producer sends it (see {@link #read}). */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    /** What an event says of its call's content once stored: previews, size, whether it is kept. */
    public static final String CONTENT = "content";

    private TraceEventJson() {}

    /**
     * Reads one event. Problems are added to {@code errors} with {@code path} in front of each
     * field name; the result is only meaningful when no error was added. The {@code id} field is
     * the server's and is ignored when a producer sends it. The trace id is not required here:
     * the caller may take it from the URL or a header.
     */
    public static TraceEvent read(JsonValue value, String path, List<FieldError> errors) {
        return read(value, path, errors, false);
    }

    /**
     * @param stored the JSON is the store's: its {@code content} member is read; from a producer,
     *               {@code content} is refused and {@code input}/{@code output} are taken as sent, as
     *               {@code {"input": ..., "output": ...}} in the event's {@link CallContent} body,
     *               for the producer's adapter to map to the GenAI shape
     */
    private static TraceEvent read(JsonValue value, String path, List<FieldError> errors, boolean stored) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(new FieldError(path.isEmpty() ? "$" : path, "must be a JSON object"));
            return null;
        }
        JsonObject json = value.asJsonObject();
        Fields f = new Fields(json, path, errors);
        for (String key : json.keySet()) {
            if (!KNOWN_FIELDS.contains(key)) {
                // Unknown top-level fields would be silently dropped otherwise: say so instead.
                errors.add(new FieldError(f.name(key), "is not a TraceEvent field (custom data belongs in attributes)"));
            }
        }
        String traceId = f.string("trace_id", TraceId.MAX_LENGTH, false);
        if (traceId != null && !TraceId.isValid(traceId)) {
            errors.add(new FieldError(f.name("trace_id"), TraceId.describeProblem(traceId)));
        }
        String eventType = f.string("event_type", MAX_NAME_LENGTH, true);
        if (!stored) {
            TraceEventRules.producersType(eventType, f.name("event_type"), errors);
        }
        return new TraceEvent(
                null,
                traceId,
                eventType,
                f.string("agent_id", MAX_NAME_LENGTH, true),
                f.timestamp("timestamp"),
                f.string("span_id", MAX_NAME_LENGTH, false),
                f.string("parent_span_id", MAX_NAME_LENGTH, false),
                f.string("task_id", MAX_NAME_LENGTH, false),
                f.string("status", MAX_NAME_LENGTH, false),
                f.count("duration_ms"),
                f.error("error"),
                f.string("model", MAX_NAME_LENGTH, false),
                f.count("input_tokens"),
                f.count("output_tokens"),
                f.amount("cost_usd"),
                f.string("event_id", MAX_NAME_LENGTH, false),
                f.attributes("attributes"),
                stored ? f.storedContent() : f.producerContent());
    }

    /**
     * Reads an event back from the JSON the store holds (written by {@link #write}, with its id).
     *
     * @throws IllegalArgumentException when the JSON is not a valid event: stored data is checked
     *                                  on the way in, so this means the store was written by hand
     */
    public static TraceEvent readStored(String json) {
        JsonValue value;
        try (jakarta.json.JsonReader reader = JsonFactories.reader(new java.io.StringReader(json))) {
            value = reader.readValue();
        }
        List<FieldError> errors = new ArrayList<>();
        TraceEvent event = read(value, "", errors, true);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("stored event is not valid: " + errors);
        }
        return event.withId(((JsonObject) value).getString("id", null));
    }

    /** The event as compact JSON; {@code id} is written first when the event has one. */
    public static String write(TraceEvent e) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        Writer w = new Writer(out);
        w.string("id", e.id());
        w.string("trace_id", e.traceId());
        w.string("event_type", e.eventType());
        w.string("agent_id", e.agentId());
        w.string("timestamp", e.timestamp() == null ? null : e.timestamp().toString());
        w.string("span_id", e.spanId());
        w.string("parent_span_id", e.parentSpanId());
        w.string("task_id", e.taskId());
        w.string("status", e.status());
        w.raw("duration_ms", e.durationMs());
        if (e.error() != null) {
            w.name("error");
            out.append('{');
            Writer inner = new Writer(out);
            inner.string("type", e.error().type());
            inner.string("message", e.error().message());
            inner.string("stacktrace", e.error().stacktrace());
            out.append('}');
        }
        w.string("model", e.model());
        w.raw("input_tokens", e.inputTokens());
        w.raw("output_tokens", e.outputTokens());
        w.raw("cost_usd", e.costUsd());
        w.string("event_id", e.eventId());
        if (!e.attributes().isEmpty()) {
            w.name("attributes");
            out.append('{');
            Writer inner = new Writer(out);
            for (Map.Entry<String, Object> a : e.attributes().entrySet()) {
                if (a.getValue() instanceof String s) {
                    inner.string(a.getKey(), s);
                } else {
                    inner.raw(a.getKey(), a.getValue());
                }
            }
            out.append('}');
        }
        CallContent c = e.content();
        if (c != null && !c.isEmpty()) {
            w.name(CONTENT);
            out.append('{');
            Writer inner = new Writer(out);
            inner.string("input_preview", c.inputPreview());
            inner.string("output_preview", c.outputPreview());
            inner.string("arguments_hash", c.argumentsHash());
            if (c.kept()) {
                inner.raw("bytes", c.bytes());
            }
            if (c.truncated()) {
                inner.raw("truncated", true);
            }
            if (c.redacted() > 0) {
                inner.raw("redacted", c.redacted());
            }
            inner.raw("kept", c.kept());
            out.append('}');
        }
        out.append('}');
        return out.toString();
    }

    /**
     * Puts a store-assigned id in front of JSON written by {@link #write} for an event without
     * one. Cheaper than parsing and writing again, and the stored bytes stay the producer's.
     */
    public static String withId(String id, String jsonWithoutId) {
        StringBuilder out = new StringBuilder(jsonWithoutId.length() + id.length() + 8);
        out.append("{\"id\":");
        quote(out, id);
        if (jsonWithoutId.length() > 2) {
            out.append(',');
        }
        out.append(jsonWithoutId, 1, jsonWithoutId.length());
        return out.toString();
    }

    /** How JSON written by {@link #write} ends when its call's content is stored: the content summary is its last member. */
    private static final String KEPT_CONTENT_END = "\"kept\":true}}";

    /**
     * An event's JSON (written by {@link #write}) with its call's full content in
     * {@code content.full}, or {@code null} when the event has no stored content (then nothing is read).
     *
     * @param content reads the stored content's JSON, or answers {@code null}
     */
    public static String withFullContent(String json, java.util.function.Supplier<String> content) {
        if (!json.endsWith(KEPT_CONTENT_END)) {
            return null;
        }
        String full = content.get();
        if (full == null) {
            return null;
        }
        return new StringBuilder(json.length() + full.length() + 16).append(json, 0, json.length() - 2)
                .append(",\"full\":").append(full).append("}}").toString();
    }

    /** Appends {@code s} as a JSON string, safe to embed in HTML and JavaScript too. */
    public static void quote(StringBuilder out, String s) {
        out.append('"');
        // Runs of characters that need no escape (nearly all of them) are appended whole: this is
        // on every stored event's path, and one append per character cost more than the rest.
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (needsNoEscape(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character outside the Basic Multilingual Plane, written as it is
                continue;
            }
            out.append(s, run, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // The others: controls, what keeps the JSON safe to embed in HTML <script> blocks
                // and in JavaScript sources (U+2028/2029 end a JS line), and lone surrogates (a
                // JSON escape may name one): as escapes they survive UTF-8, which has no bytes for them.
                default -> out.append(String.format("\\u%04x", (int) c));
            }
            run = i + 1;
        }
        out.append(s, run, s.length()).append('"');
    }

    /** The ASCII characters written as they are: one array load instead of eight comparisons per character. */
    private static final boolean[] PLAIN_ASCII = new boolean[128];

    static {
        for (char c = 0x20; c < 128; c++) {
            PLAIN_ASCII[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
        }
    }

    private static boolean needsNoEscape(char c) {
        return c < 128 ? PLAIN_ASCII[c] : c != '\u2028' && c != '\u2029' && !Character.isSurrogate(c);
    }

    private static final class Writer {
        private final StringBuilder out;
        private boolean first = true;

        Writer(StringBuilder out) {
            this.out = out;
        }

        void name(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, name);
            out.append(':');
        }

        void string(String name, String value) {
            if (value != null) {
                name(name);
                quote(out, value);
            }
        }

        void raw(String name, Object value) {
            if (value != null) {
                name(name);
                out.append(value instanceof BigDecimal d ? d.toString() : String.valueOf(value));
            }
        }
    }

    /** Typed access to the fields of one JSON object, recording what is wrong with each. */
    private record Fields(JsonObject json, String path, List<FieldError> errors) {

        String name(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        private JsonValue present(String field) {
            JsonValue v = json.get(field);
            return v == null || v.getValueType() == JsonValue.ValueType.NULL ? null : v;
        }

        String string(String field, int maxLength, boolean required) {
            JsonValue v = present(field);
            if (v == null) {
                if (required) {
                    errors.add(new FieldError(name(field), "is required"));
                }
                return null;
            }
            if (v.getValueType() != JsonValue.ValueType.STRING) {
                errors.add(new FieldError(name(field), "must be a string"));
                return null;
            }
            String s = ((JsonString) v).getString();
            String problem = TraceEventRules.stringProblem(s, maxLength);
            if (problem != null) {
                errors.add(new FieldError(name(field), problem));
                return null;
            }
            return s;
        }

        Instant timestamp(String field) {
            String s = string(field, MAX_NAME_LENGTH, false);
            if (s == null) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException e) {
                errors.add(new FieldError(name(field), "must be an ISO-8601 date-time with offset, such as 2025-01-20T10:30:45Z"));
                return null;
            }
            String problem = TraceEventRules.timestampProblem(at);
            if (problem != null) {
                errors.add(new FieldError(name(field), problem));
                return null;
            }
            return at;
        }

        Long count(String field) {
            JsonValue v = present(field);
            if (v == null) {
                return null;
            }
            if (v instanceof JsonNumber n && n.isIntegral()) {
                try {
                    long count = n.longValueExact();
                    if (TraceEventRules.countProblem(count) == null) {
                        return count;
                    }
                } catch (ArithmeticException tooBig) {
                    // falls through to the error below
                }
            }
            errors.add(new FieldError(name(field), TraceEventRules.COUNT_RULE));
            return null;
        }

        BigDecimal amount(String field) {
            JsonValue v = present(field);
            if (v == null) {
                return null;
            }
            if (v instanceof JsonNumber n && TraceEventRules.amountProblem(n.bigDecimalValue()) == null) {
                return n.bigDecimalValue();
            }
            errors.add(new FieldError(name(field), TraceEventRules.AMOUNT_RULE));
            return null;
        }

        TraceEvent.EventError error(String field) {
            JsonValue v = present(field);
            if (v == null) {
                return null;
            }
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                errors.add(new FieldError(name(field), "must be an object {\"type\": ..., \"message\": ..., \"stacktrace\": ...}"));
                return null;
            }
            Fields inner = new Fields(v.asJsonObject(), name(field), errors);
            for (String key : v.asJsonObject().keySet()) {
                if (!key.equals("type") && !key.equals("message") && !key.equals("stacktrace")) {
                    errors.add(new FieldError(inner.name(key), "is not a field of error (type, message, stacktrace)"));
                }
            }
            return new TraceEvent.EventError(
                    inner.string("type", MAX_NAME_LENGTH, false),
                    inner.string("message", MAX_TEXT_LENGTH, false),
                    inner.string("stacktrace", MAX_TEXT_LENGTH, false));
        }

        /** A producer's {@code input} and {@code output}, as sent; {@code content} is the server's. */
        CallContent producerContent() {
            if (json.containsKey(CONTENT)) {
                errors.add(new FieldError(name(CONTENT), "is written by the server; send what the call was given and answered as input and output"));
            }
            JsonValue input = present(INPUT);
            JsonValue output = present(OUTPUT);
            if (input == null && output == null) {
                return null;
            }
            var body = JsonFactories.object();
            if (input != null) {
                body.add(INPUT, input);
            }
            if (output != null) {
                body.add(OUTPUT, output);
            }
            return CallContent.of(body.build());
        }

        /** The {@code content} member the store wrote. */
        CallContent storedContent() {
            JsonValue v = present(CONTENT);
            if (v == null || v.getValueType() != JsonValue.ValueType.OBJECT) {
                return null;
            }
            JsonObject c = v.asJsonObject();
            return new CallContent(null, c.getString("input_preview", null), c.getString("output_preview", null),
                    c.containsKey("bytes") ? c.getJsonNumber("bytes").longValue() : 0, c.getBoolean("truncated", false),
                    c.getInt("redacted", 0), c.getBoolean("kept", false), c.getString("arguments_hash", null));
        }

        Map<String, Object> attributes(String field) {
            JsonValue v = present(field);
            if (v == null) {
                return Map.of();
            }
            if (v.getValueType() != JsonValue.ValueType.OBJECT) {
                errors.add(new FieldError(name(field), "must be an object of string keys to scalar values"));
                return Map.of();
            }
            JsonObject obj = v.asJsonObject();
            String countProblem = TraceEventRules.attributeCountProblem(obj.size());
            if (countProblem != null) {
                errors.add(new FieldError(name(field), countProblem));
                return Map.of();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>(obj.keySet());
            for (String key : keys) {
                JsonValue a = obj.get(key);
                String at = name(field) + "." + key;
                String keyProblem = TraceEventRules.attributeKeyProblem(key);
                if (keyProblem != null) {
                    errors.add(new FieldError(at, keyProblem));
                    continue;
                }
                switch (a.getValueType()) {
                    case STRING -> {
                        String s = ((JsonString) a).getString();
                        String problem = TraceEventRules.attributeValueProblem(s);
                        if (problem != null) {
                            errors.add(new FieldError(at, problem));
                        } else {
                            result.put(key, s);
                        }
                    }
                    case NUMBER -> result.put(key, ((JsonNumber) a).bigDecimalValue());
                    case TRUE -> result.put(key, Boolean.TRUE);
                    case FALSE -> result.put(key, Boolean.FALSE);
                    default -> errors.add(new FieldError(at, TraceEventRules.SCALAR_RULE));
                }
            }
            return result;
        }
    }
}
