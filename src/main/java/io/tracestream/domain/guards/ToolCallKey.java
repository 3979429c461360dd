package io.tracestream.domain.guards;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.content.ArgumentsFingerprint;
import io.tracestream.domain.content.CanonicalJson;
import io.tracestream.domain.content.ContentDocument;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tool a {@code tool_call} called, and with what: two calls are "the same" when their tool
 * names are equal and their arguments, written canonically ({@link CanonicalJson}: members sorted,
 * JSON text parsed), are equal: compared by their fingerprint ({@link ArgumentsFingerprint}). The
 * arguments are taken from the first of these the event has:
 * <ol>
 * <li>its content's fingerprint of the whole arguments ({@code content.arguments_hash}, taken at
 *     ingest before the body was stored apart, with capture {@code full} or {@code metadata}), or
 *     the body's {@code tool_call.arguments} when it is at hand;</li>
 * <li>the attribute {@code gen_ai.tool.call.arguments}, else {@code tool_arguments};</li>
 * <li>its content's input preview (events stored before fingerprints were kept): cut to the
 *     policy's preview length, so two argument sets that agree that far count as the same;</li>
 * <li>its attributes but the tool's name and the volatile ones ({@link #VOLATILE}: ids, times,
 *     attempts, and the call's outcome), which differ between two calls of the same thing; not for
 *     an event mapped from a span, whose attributes are its instrumentation's and alike for every call.</li>
 * </ol>
 * A call with none of these has unknown arguments ({@link #of} answers {@code null}) and is never
 * counted: four calls of {@code search} whose queries were not recorded may well be four searches.
 * The tool's name is the attribute {@code tool} (the JSON API's), else {@code gen_ai.tool.name},
 * else the body's {@code tool_call.name}, else the event's {@code task_id} (a span's name).
 *
 * @param tool          the tool's name, or {@value #UNNAMED}
 * @param argumentsHash the arguments' fingerprint ({@link ArgumentsFingerprint}): what "the same" compares
 * @param source        where the arguments came from: {@code content}, {@code attribute}, {@code preview}
 *                      or {@code attributes}
 * @param arguments     the arguments as the evidence shows them: canonical, or the call's input preview
 */
record ToolCallKey(String tool, String argumentsHash, String source, String arguments) {

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

    /** The call's tool and arguments; {@code null} when its arguments are unknown. */
    static ToolCallKey of(TraceEvent e) {
        JsonObject toolCall = bodyToolCall(e.content());
        String tool = firstText(e.attributes().get(ATTR_TOOL), e.attributes().get(ATTR_GEN_AI_TOOL_NAME),
                toolCall == null ? null : toolCall.get("name"), e.taskId());
        String preview = e.content() == null ? null : e.content().inputPreview();
        String fingerprint = e.content() == null ? null
                : e.content().argumentsHash() != null ? e.content().argumentsHash() : ArgumentsFingerprint.of(e.content().body());
        if (fingerprint != null) {
            return new ToolCallKey(tool, fingerprint, "content",
                    preview != null ? preview : ArgumentsFingerprint.canonical(toolCall.get("arguments")));
        }
        for (String name : new String[] {ATTR_GEN_AI_ARGUMENTS, ATTR_TOOL_ARGUMENTS}) {
            Object value = e.attributes().get(name);
            if (value != null) {
                String arguments = ArgumentsFingerprint.canonical(value instanceof String text
                        ? JsonFactories.provider().createValue(text) : scalar(value));
                return new ToolCallKey(tool, ArgumentsFingerprint.hash(arguments), "attribute", arguments);
            }
        }
        if (preview != null) {
            String arguments = ArgumentsFingerprint.canonical(JsonFactories.provider().createValue(preview));
            return new ToolCallKey(tool, ArgumentsFingerprint.hash(arguments), "preview", arguments);
        }
        JsonObject steady = steadyAttributes(e.attributes());
        if (e.attributes().containsKey(ATTR_AGENT_SOURCE) || steady.isEmpty()) {
            return null; // a span's attributes are its instrumentation's, alike for every call: the arguments are unknown
        }
        String arguments = CanonicalJson.of(steady);
        return new ToolCallKey(tool, ArgumentsFingerprint.hash(arguments), "attributes", arguments);
    }

    /** The call's identity within a run: its tool and its arguments' fingerprint. */
    String key() {
        return tool + ":" + argumentsHash;
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
