package io.tracestream.domain.guards;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.content.ContentDocument;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tool a {@code tool_call} called, and with what: two calls are "the same" when their tool
 * names are equal and their arguments, written canonically ({@link CanonicalJson}: members sorted,
 * JSON text parsed), are equal. The arguments are taken from the first of these the event has:
 * <ol>
 * <li>its content's body, {@code tool_call.arguments} (an event on its way in, before the store
 *     keeps the body apart);</li>
 * <li>the attribute {@code gen_ai.tool.call.arguments}, else {@code tool_arguments};</li>
 * <li>its content's input preview: for a stored tool call, the start of its arguments. A preview is
 *     cut to the policy's preview length, so two argument sets that agree that far count as the
 *     same; that is the price of not reading every call's body back from the store;</li>
 * <li>its attributes but the tool's name and the volatile ones ({@link #VOLATILE}: ids, times,
 *     attempts, and the call's outcome), which differ between two calls of the same thing; not for
 *     an event mapped from a span, whose attributes are its instrumentation's and alike for every call.</li>
 * </ol>
 * A call with none of these has unknown arguments ({@link #of} answers {@code null}) and is never
 * counted: four calls of {@code search} whose queries were not recorded may well be four searches.
 * The tool's name is the attribute {@code tool} (the JSON API's), else {@code gen_ai.tool.name},
 * else the body's {@code tool_call.name}, else the event's {@code task_id} (a span's name).
 *
 * @param tool      the tool's name, or {@value #UNNAMED}
 * @param arguments the arguments, canonical
 * @param source    where the arguments came from: {@code content}, {@code attribute}, {@code preview}
 *                  or {@code attributes}
 */
record ToolCallKey(String tool, String arguments, String source) {

    static final String UNNAMED = "(unnamed)";
    static final String ATTR_TOOL = "tool";
    static final String ATTR_GEN_AI_TOOL_NAME = "gen_ai.tool.name";
    static final String ATTR_GEN_AI_ARGUMENTS = "gen_ai.tool.call.arguments";
    static final String ATTR_TOOL_ARGUMENTS = "tool_arguments";
    /** Set on every event mapped from an OpenTelemetry span (how its agent was found). */
    static final String ATTR_AGENT_SOURCE = "agent_source";
    /** Attributes that differ between two calls of the same thing: left out of the arguments. */
    static final Set<String> VOLATILE = Set.of(
            "tool_call_id", "gen_ai.tool.call.id", "call_id", "event_id", "span_id",
            "duration_ms", "timestamp", "started_at", "ended_at", "attempt", "retry",
            "result", "tool_result", "gen_ai.tool.call.result", "output", "status", "error");
    /** Hex digits of the arguments' SHA-256 in a key: enough to tell a run's calls apart. */
    private static final int HASH_HEX_DIGITS = 16;

    /** The call's tool and arguments; {@code null} when its arguments are unknown. */
    static ToolCallKey of(TraceEvent e) {
        JsonObject toolCall = bodyToolCall(e.content());
        String tool = firstText(e.attributes().get(ATTR_TOOL), e.attributes().get(ATTR_GEN_AI_TOOL_NAME),
                toolCall == null ? null : toolCall.get("name"), e.taskId());
        if (toolCall != null && toolCall.containsKey("arguments")) {
            return new ToolCallKey(tool, canonical(toolCall.get("arguments")), "content");
        }
        for (String name : new String[] {ATTR_GEN_AI_ARGUMENTS, ATTR_TOOL_ARGUMENTS}) {
            Object value = e.attributes().get(name);
            if (value != null) {
                return new ToolCallKey(tool, canonical(value instanceof String text ? parsed(text) : scalar(value)), "attribute");
            }
        }
        if (e.content() != null && e.content().inputPreview() != null) {
            return new ToolCallKey(tool, canonical(parsed(e.content().inputPreview())), "preview");
        }
        JsonObject steady = steadyAttributes(e.attributes());
        if (e.attributes().containsKey(ATTR_AGENT_SOURCE) || steady.isEmpty()) {
            return null; // a span's attributes are its instrumentation's, alike for every call: the arguments are unknown
        }
        return new ToolCallKey(tool, CanonicalJson.of(steady), "attributes");
    }

    /** A hash of the arguments, short and stable: the key's last part. */
    String argumentsHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arguments.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static JsonObject bodyToolCall(CallContent content) {
        if (content == null || content.body() == null) {
            return null;
        }
        JsonValue call = content.body().get(ContentDocument.TOOL_CALL);
        return call != null && call.getValueType() == JsonValue.ValueType.OBJECT ? call.asJsonObject() : null;
    }

    private static String firstText(Object... candidates) {
        for (Object c : candidates) {
            if (c instanceof String s && !s.isBlank()) {
                return s;
            }
            if (c instanceof JsonString s && !s.getString().isBlank()) {
                return s.getString();
            }
        }
        return UNNAMED;
    }

    /** JSON text as JSON (so its members' order does not matter), anything else as a string. */
    private static JsonValue parsed(String text) {
        try {
            return ContentDocument.jsonOrText(text);
        } catch (RuntimeException tooDeepOrOdd) {
            // a parser's own limits (nesting) end in exceptions of no documented type: the text it is
            return JsonFactories.provider().createValue(text);
        }
    }

    private static String canonical(JsonValue value) {
        return value.getValueType() == JsonValue.ValueType.STRING
                ? ((JsonString) value).getString().strip()
                : CanonicalJson.of(value);
    }

    private static JsonValue scalar(Object value) {
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof BigDecimal n) {
            return JsonFactories.provider().createValue(n);
        }
        return JsonFactories.provider().createValue(String.valueOf(value));
    }

    private static JsonObject steadyAttributes(Map<String, Object> attributes) {
        JsonObjectBuilder steady = JsonFactories.object();
        new TreeMap<>(attributes).forEach((name, value) -> {
            if (!VOLATILE.contains(name) && !ATTR_TOOL.equals(name)) {
                steady.add(name, scalar(value));
            }
        });
        return steady.build();
    }
}
