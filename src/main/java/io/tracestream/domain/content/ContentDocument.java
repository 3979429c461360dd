package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The one shape in which Trace Stream keeps a call's content, whatever convention the producer
 * used: the OpenTelemetry GenAI message schema. A document is
 * {@code {"system_instructions": [parts], "input": [messages], "output": [messages],
 * "tool_definitions": [...], "tool_call": {"name", "arguments", "result"}}}, members present when
 * known; a message is {@code {"role", "parts": [...], "finish_reason"}}; a part is
 * {@code {"type": "text", "content"}}, {@code {"type": "tool_call", "id", "name", "arguments"}},
 * {@code {"type": "tool_call_response", "id", "response"}}, or an image or file as a named
 * placeholder (its bytes are never kept).
 *
 * <p>Each producer adapter maps its convention to this with the builders here, so the page, the
 * API and the previews read one shape.
 */
public final class ContentDocument {

    public static final String SYSTEM_INSTRUCTIONS = "system_instructions";
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String TOOL_DEFINITIONS = "tool_definitions";
    public static final String TOOL_CALL = "tool_call";
    /** Added by the policy when the document was cut to its limit. */
    public static final String TRUNCATED = "truncated";

    public static final String ROLE = "role";
    public static final String PARTS = "parts";
    public static final String FINISH_REASON = "finish_reason";
    public static final String TYPE = "type";
    public static final String CONTENT = "content";

    private final List<JsonObject> systemInstructions = new ArrayList<>();
    private final List<JsonObject> input = new ArrayList<>();
    private final List<JsonObject> output = new ArrayList<>();
    private JsonValue toolDefinitions;
    private String toolName;
    private JsonValue toolArguments;
    private JsonValue toolResult;

    /** A text part. */
    public static JsonObject text(String content) {
        return JsonFactories.object().add(TYPE, "text").add(CONTENT, content).build();
    }

    /** A request to call a tool, as a model made it; {@code arguments} as {@link #jsonOrText}. */
    public static JsonObject toolCall(String id, String name, JsonValue arguments) {
        JsonObjectBuilder part = JsonFactories.object().add(TYPE, "tool_call");
        addIfPresent(part, "id", id);
        addIfPresent(part, "name", name);
        if (arguments != null) {
            part.add("arguments", arguments);
        }
        return part.build();
    }

    /** A tool's answer, given back to the model. */
    public static JsonObject toolCallResponse(String id, JsonValue response) {
        JsonObjectBuilder part = JsonFactories.object().add(TYPE, "tool_call_response");
        addIfPresent(part, "id", id);
        part.add("response", response == null ? JsonValue.NULL : response);
        return part.build();
    }

    /**
     * An image, audio or file, by name only: {@code type} as the GenAI schema has it ({@code blob},
     * {@code file}, {@code uri}), with a {@code placeholder} text saying what was there. Why no
     * bytes: a base64 image is megabytes of nothing readable, and a {@code data:} URI the same.
     *
     * @param modality {@code image}, {@code audio}, {@code video} or {@code null}
     * @param detail   what names it (a file name, an id, a URL), or {@code null}
     */
    public static JsonObject media(String type, String modality, String mimeType, String detail) {
        JsonObjectBuilder part = JsonFactories.object().add(TYPE, type);
        addIfPresent(part, "modality", modality);
        addIfPresent(part, "mime_type", mimeType);
        StringBuilder placeholder = new StringBuilder("[").append(modality != null ? modality : type);
        if (mimeType != null) {
            placeholder.append(' ').append(mimeType);
        }
        if (detail != null && !detail.startsWith("data:")) {
            placeholder.append(": ").append(detail);
        }
        part.add("placeholder", placeholder.append(']').toString());
        return part.build();
    }

    /** A message; {@code finishReason} may be {@code null}, and is kept in GenAI's words ({@link #finishReason}). */
    public static JsonObject message(String role, List<JsonObject> parts, String finishReason) {
        JsonArrayBuilder array = JsonFactories.array();
        parts.forEach(array::add);
        JsonObjectBuilder message = JsonFactories.object().add(ROLE, role == null ? "user" : role).add(PARTS, array);
        addIfPresent(message, FINISH_REASON, finishReason(finishReason));
        return message.build();
    }

    /**
     * A finish reason in the GenAI conventions' words ({@code stop}, {@code length},
     * {@code content_filter}, {@code tool_call}, {@code error}), as providers and SDKs spell them
     * their own way: OpenAI's {@code tool_calls}, the AI SDK's {@code tool-calls}, Anthropic's
     * {@code tool_use}, {@code end_turn} and {@code max_tokens}, Gemini's {@code STOP},
     * {@code MAX_TOKENS} and {@code SAFETY}. Why: the same answer reads the same whatever produced
     * it. A reason none of them knows is kept as it came.
     */
    public static String finishReason(String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "stop", "end_turn", "stop_sequence" -> "stop";
            case "length", "max_tokens" -> "length";
            case "content_filter", "safety", "recitation" -> "content_filter";
            case "tool_call", "tool_calls", "tool_use", "function_call" -> "tool_call";
            case "error" -> "error";
            default -> reason;
        };
    }

    /** A message of one text part. */
    public static JsonObject textMessage(String role, String text) {
        return message(role, List.of(text(text)), null);
    }

    /**
     * A producer's text as JSON when it is a JSON object or array (tool arguments and results
     * usually are: the page then shows them pretty-printed), else as a string.
     */
    public static JsonValue jsonOrText(String text) {
        if (text == null) {
            return JsonValue.NULL;
        }
        String t = text.strip();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
            try (var reader = JsonFactories.reader(new StringReader(t))) {
                return reader.readValue();
            } catch (jakarta.json.JsonException notJson) {
                // plain text that looks like JSON: kept as the producer wrote it
            }
        }
        return JsonFactories.provider().createValue(text);
    }

    public ContentDocument systemInstruction(JsonObject part) {
        systemInstructions.add(part);
        return this;
    }

    public ContentDocument input(JsonObject message) {
        input.add(message);
        return this;
    }

    public ContentDocument output(JsonObject message) {
        output.add(message);
        return this;
    }

    /** The tools offered to the model, as the producer described them (a JSON array, usually). */
    public ContentDocument toolDefinitions(JsonValue definitions) {
        this.toolDefinitions = definitions;
        return this;
    }

    /** A tool call's own content: what the tool was given and what it returned. Parts may be {@code null}. */
    public ContentDocument toolCall(String name, JsonValue arguments, JsonValue result) {
        if (name != null) {
            this.toolName = name;
        }
        if (arguments != null) {
            this.toolArguments = arguments;
        }
        if (result != null) {
            this.toolResult = result;
        }
        return this;
    }

    public boolean hasInput() {
        return !input.isEmpty();
    }

    public boolean hasOutput() {
        return !output.isEmpty();
    }

    public boolean hasSystemInstructions() {
        return !systemInstructions.isEmpty();
    }

    /** The document, or {@code null} when nothing was said. */
    public JsonObject build() {
        JsonObjectBuilder doc = JsonFactories.object();
        boolean any = false;
        if (!systemInstructions.isEmpty()) {
            doc.add(SYSTEM_INSTRUCTIONS, array(systemInstructions));
            any = true;
        }
        if (!input.isEmpty()) {
            doc.add(INPUT, array(input));
            any = true;
        }
        if (!output.isEmpty()) {
            doc.add(OUTPUT, array(output));
            any = true;
        }
        if (toolDefinitions != null) {
            doc.add(TOOL_DEFINITIONS, toolDefinitions);
            any = true;
        }
        if (toolName != null || toolArguments != null || toolResult != null) {
            JsonObjectBuilder call = JsonFactories.object();
            addIfPresent(call, "name", toolName);
            if (toolArguments != null) {
                call.add("arguments", toolArguments);
            }
            if (toolResult != null) {
                call.add("result", toolResult);
            }
            doc.add(TOOL_CALL, call);
            any = true;
        }
        return any ? doc.build() : null;
    }

    private static JsonArray array(List<JsonObject> items) {
        JsonArrayBuilder array = JsonFactories.array();
        items.forEach(array::add);
        return array.build();
    }

    private static void addIfPresent(JsonObjectBuilder b, String name, String value) {
        if (value != null) {
            b.add(name, value);
        }
    }
}
