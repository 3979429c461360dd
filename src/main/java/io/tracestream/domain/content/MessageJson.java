package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages that producers write as JSON text, re-built part by part through the
 * {@link ContentDocument} builders: the OpenTelemetry GenAI schema, the Vercel AI SDK's messages and
 * the OpenAI chat shape the older GenAI events carry. Why re-built rather than kept: only what the
 * schema knows is carried on, so a producer's extra members and its base64 bytes never reach the
 * store, and every convention ends in the same parts.
 *
 * <p>Never throws on what a producer wrote: text that is not JSON is {@code null} here (the caller
 * keeps it as text), and a message or part that is not an object is skipped.
 *
 * <p>A part of a type the schema does not know (GenAI's {@code reasoning}, an OpenAI
 * {@code refusal}, a producer's own) is kept as a text part holding its JSON, so nothing said is
 * lost and the operator's redaction and size limit apply to it as to any text; but when it carries
 * bytes (a {@code data:} URI, a long unbroken base64-like string, or a {@code modality} or
 * {@code mime_type} member) it becomes a {@link ContentDocument#media media} placeholder instead.
 */
public final class MessageJson {

    /**
     * Messages given as JSON values (the JSON API's {@code input} and {@code output}): a string is one
     * message of {@code defaultRole}; an array holds GenAI messages or chat-shaped ones
     * ({@code {"role", "content": "text"}}); one such object is one message.
     */
    public static List<JsonObject> messages(JsonValue value, String defaultRole) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return List.of();
        }
        if (value instanceof JsonString s) {
            return List.of(ContentDocument.textMessage(defaultRole, s.getString()));
        }
        if (value instanceof JsonObject m) {
            return List.of(genAiMessage(m, defaultRole));
        }
        List<JsonObject> messages = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject m) {
                    messages.add(genAiMessage(m, defaultRole));
                } else if (item instanceof JsonString s) {
                    messages.add(ContentDocument.textMessage(defaultRole, s.getString()));
                }
            }
        }
        return messages;
    }

    /** A string this long without a space is taken for encoded bytes, not for something said. */
    private static final int BYTES_LENGTH = 1024;

    private MessageJson() {}

    /** The text as JSON, or {@code null} when it is not JSON. */
    public static JsonValue parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try (JsonReader reader = JsonFactories.reader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException | IllegalArgumentException notJson) {
            return null;
        }
    }

    // --- OpenTelemetry GenAI ---

    /**
     * GenAI messages ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}); text that is not
     * a JSON array of them becomes one message of {@code fallbackRole} holding the text as it came.
     */
    public static List<JsonObject> genAiMessages(String text, String fallbackRole) {
        JsonValue json = parse(text);
        if (!(json instanceof JsonArray array)) {
            return text == null || text.isEmpty() ? List.of() : List.of(ContentDocument.textMessage(fallbackRole, text));
        }
        List<JsonObject> messages = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            if (item instanceof JsonObject m) {
                messages.add(genAiMessage(m, fallbackRole));
            }
        }
        return messages;
    }

    private static JsonObject genAiMessage(JsonObject m, String fallbackRole) {
        List<JsonObject> parts = new ArrayList<>();
        if (m.get("parts") instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject p) {
                    JsonObject part = genAiPart(p);
                    if (part != null) {
                        parts.add(part);
                    }
                }
            }
        } else if (m.get(ContentDocument.CONTENT) instanceof JsonString s) {
            // A producer that wrote the chat shape ({"role", "content"}) under the GenAI name.
            parts.add(ContentDocument.text(s.getString()));
        }
        String role = string(m, ContentDocument.ROLE);
        return ContentDocument.message(role != null ? role : fallbackRole, parts, string(m, ContentDocument.FINISH_REASON));
    }

    /**
     * GenAI system instructions ({@code gen_ai.system_instructions}): a JSON array of parts (one part
     * object, a string, or text that is not JSON are taken as they come).
     */
    public static List<JsonObject> genAiParts(String text) {
        JsonValue json = parse(text);
        List<JsonObject> parts = new ArrayList<>();
        if (json instanceof JsonArray array) {
            for (JsonValue item : array) {
                JsonObject part = item instanceof JsonObject p ? genAiPart(p)
                        : item instanceof JsonString s ? ContentDocument.text(s.getString()) : null;
                if (part != null) {
                    parts.add(part);
                }
            }
        } else if (json instanceof JsonObject p) {
            JsonObject part = genAiPart(p);
            if (part != null) {
                parts.add(part);
            }
        } else if (json instanceof JsonString s) {
            parts.add(ContentDocument.text(s.getString()));
        } else if (text != null && !text.isEmpty()) {
            parts.add(ContentDocument.text(text));
        }
        return parts;
    }

    /** One GenAI part, or {@code null} to skip it. */
    private static JsonObject genAiPart(JsonObject p) {
        String type = string(p, ContentDocument.TYPE);
        if (type == null) {
            return unknownPart(p, null);
        }
        return switch (type) {
            case "text" -> ContentDocument.text(textOf(p.get(ContentDocument.CONTENT)));
            case "tool_call" -> ContentDocument.toolCall(string(p, "id"), string(p, "name"), value(p.get("arguments")));
            case "tool_call_response" -> ContentDocument.toolCallResponse(string(p, "id"), value(p.get("response")));
            case "blob" -> ContentDocument.media("blob", string(p, "modality"), string(p, "mime_type"), null);
            case "file" -> ContentDocument.media("file", string(p, "modality"), string(p, "mime_type"), string(p, "file_id"));
            case "uri" -> ContentDocument.media("uri", string(p, "modality"), string(p, "mime_type"), string(p, "uri"));
            default -> unknownPart(p, type);
        };
    }

    // --- Vercel AI SDK ---

    /** AI SDK messages ({@code ai.prompt.messages}, {@code ai.prompt}'s {@code messages}); non-objects skipped. */
    public static List<JsonObject> aiSdkMessages(JsonArray array) {
        List<JsonObject> messages = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            if (item instanceof JsonObject m) {
                messages.add(ContentDocument.message(string(m, ContentDocument.ROLE), aiSdkParts(m.get(ContentDocument.CONTENT)), null));
            }
        }
        return messages;
    }

    private static List<JsonObject> aiSdkParts(JsonValue content) {
        List<JsonObject> parts = new ArrayList<>();
        if (content instanceof JsonString s) {
            parts.add(ContentDocument.text(s.getString()));
        } else if (content instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject p) {
                    JsonObject part = aiSdkPart(p);
                    if (part != null) {
                        parts.add(part);
                    }
                }
            }
        }
        return parts;
    }

    private static JsonObject aiSdkPart(JsonObject p) {
        String type = string(p, ContentDocument.TYPE);
        if (type == null) {
            return unknownPart(p, null);
        }
        return switch (type) {
            case "text" -> ContentDocument.text(textOf(p.get("text")));
            case "tool-call" -> ContentDocument.toolCall(string(p, "toolCallId"), string(p, "toolName"),
                    value(p.containsKey("input") ? p.get("input") : p.get("args")));
            case "tool-result" -> ContentDocument.toolCallResponse(string(p, "toolCallId"),
                    p.containsKey("output") ? aiSdkOutput(p.get("output")) : value(p.get("result")));
            case "image" -> aiSdkMedia(p.get("image"), "image", mediaType(p), null);
            case "file" -> {
                String mime = mediaType(p);
                yield aiSdkMedia(p.get("data"), modality(mime), mime, string(p, "filename"));
            }
            default -> unknownPart(p, type);
        };
    }

    /** An AI SDK 5 tool output, {@code {"type": "json"|"text"|..., "value"}}: its value. */
    private static JsonValue aiSdkOutput(JsonValue output) {
        if (output instanceof JsonObject o && o.get(ContentDocument.TYPE) instanceof JsonString && o.containsKey("value")) {
            return value(o.get("value"));
        }
        return value(output);
    }

    private static JsonObject aiSdkMedia(JsonValue data, String modality, String mime, String name) {
        if (data instanceof JsonString s && isUrl(s.getString())) {
            return ContentDocument.media("uri", modality, mime, s.getString());
        }
        return ContentDocument.media("blob", modality, mime, name);
    }

    private static String mediaType(JsonObject p) {
        String mime = string(p, "mediaType");
        return mime != null ? mime : string(p, "mimeType");
    }

    /** AI SDK tool calls ({@code ai.response.toolCalls}) as tool call parts; text that is not a JSON array: none. */
    public static List<JsonObject> aiSdkToolCalls(String text) {
        List<JsonObject> parts = new ArrayList<>();
        if (parse(text) instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject c) {
                    parts.add(ContentDocument.toolCall(string(c, "toolCallId"), string(c, "toolName"),
                            value(c.containsKey("input") ? c.get("input") : c.get("args"))));
                }
            }
        }
        return parts;
    }

    // --- OpenAI chat shape (older GenAI) ---

    /** OpenAI chat messages ({@code gen_ai.prompt} as one JSON attribute); text that is not a JSON array: none. */
    public static List<JsonObject> openAiMessages(String text, String fallbackRole) {
        List<JsonObject> messages = new ArrayList<>();
        if (parse(text) instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject m) {
                    messages.add(openAiMessage(m, fallbackRole, null));
                }
            }
        }
        return messages;
    }

    /** One OpenAI chat message ({@code {"role", "content", "tool_calls", "tool_call_id"}}). */
    public static JsonObject openAiMessage(JsonObject m, String fallbackRole, String finishReason) {
        String role = string(m, ContentDocument.ROLE);
        role = role != null ? role : fallbackRole;
        JsonValue content = m.get(ContentDocument.CONTENT);
        List<JsonObject> parts = new ArrayList<>();
        if ("tool".equals(role)) {
            parts.add(ContentDocument.toolCallResponse(string(m, "tool_call_id"), value(content)));
        } else {
            if (content instanceof JsonString s) {
                parts.addAll(openAiContent(s.getString()));
            } else if (content instanceof JsonArray array) {
                openAiParts(array, parts);
            }
            parts.addAll(openAiToolCalls(m.get("tool_calls")));
        }
        return ContentDocument.message(role, parts, finishReason);
    }

    /**
     * A message's content as older instrumentations write it: plain text, or the JSON of OpenAI
     * content parts ({@code [{"type": "text", "text"}, {"type": "image_url", ...}]}) for a
     * multimodal message. Empty text is no part.
     */
    public static List<JsonObject> openAiContent(String content) {
        List<JsonObject> parts = new ArrayList<>();
        if (content == null || content.isEmpty()) {
            return parts;
        }
        if (content.charAt(0) == '[' && parse(content) instanceof JsonArray array && !array.isEmpty()
                && array.stream().allMatch(v -> v instanceof JsonObject o && o.get(ContentDocument.TYPE) instanceof JsonString)) {
            openAiParts(array, parts);
        } else {
            parts.add(ContentDocument.text(content));
        }
        return parts;
    }

    private static void openAiParts(JsonArray array, List<JsonObject> parts) {
        for (JsonValue item : array) {
            if (item instanceof JsonString s) {
                parts.add(ContentDocument.text(s.getString()));
            } else if (item instanceof JsonObject p) {
                String type = string(p, ContentDocument.TYPE);
                if ("text".equals(type)) {
                    parts.add(ContentDocument.text(textOf(p.get("text"))));
                } else if ("image_url".equals(type)) {
                    JsonValue url = p.get("image_url") instanceof JsonObject o ? o.get("url") : p.get("image_url");
                    parts.add(imageUrl(url instanceof JsonString s ? s.getString() : null));
                } else {
                    parts.add(unknownPart(p, type));
                }
            }
        }
    }

    /** OpenAI tool calls ({@code [{"id", "function": {"name", "arguments"}}]}, or flat {@code {"id", "name", "arguments"}}). */
    public static List<JsonObject> openAiToolCalls(JsonValue calls) {
        if (calls instanceof JsonString s) {
            calls = parse(s.getString());
        }
        List<JsonObject> parts = new ArrayList<>();
        if (calls instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject c) {
                    JsonObject f = c.get("function") instanceof JsonObject function ? function : c;
                    parts.add(ContentDocument.toolCall(string(c, "id"), string(f, "name"), value(f.get("arguments"))));
                }
            }
        }
        return parts;
    }

    // --- shared ---

    /** An image given by URL: a {@code data:} URI is bytes (a blob, its media type kept), anything else a link. */
    public static JsonObject imageUrl(String url) {
        if (url != null && url.startsWith("data:")) {
            int end = url.indexOf(';');
            int comma = url.indexOf(',');
            end = end < 0 || (comma >= 0 && comma < end) ? comma : end;
            String mime = end > 5 ? url.substring(5, end) : null;
            return ContentDocument.media("blob", "image", mime, null);
        }
        return ContentDocument.media("uri", "image", null, url);
    }

    /**
     * A tool's arguments or result as given: text as {@link ContentDocument#jsonOrText} (the JSON
     * object a string holds becomes that object), any other JSON as it is.
     */
    public static JsonValue value(JsonValue v) {
        if (v == null) {
            return null;
        }
        return v instanceof JsonString s ? ContentDocument.jsonOrText(s.getString()) : v;
    }

    /** A part of a type this schema does not know; see the class comment. */
    private static JsonObject unknownPart(JsonObject p, String type) {
        if (carriesBytes(p, 0)) {
            String name = type != null ? type : "blob";
            String modality = string(p, "modality");
            if (modality == null) {
                modality = name.contains("image") ? "image" : name.contains("audio") ? "audio"
                        : name.contains("video") ? "video" : null;
            }
            return ContentDocument.media(name, modality, string(p, "mime_type"), null);
        }
        return ContentDocument.text(p.toString());
    }

    private static boolean carriesBytes(JsonValue v, int depth) {
        if (v instanceof JsonString s) {
            String text = s.getString();
            return text.startsWith("data:") || (text.length() >= BYTES_LENGTH && text.indexOf(' ') < 0);
        }
        if (depth > 4) {
            return false;
        }
        if (v instanceof JsonObject o) {
            if (depth == 0 && (o.containsKey("modality") || o.containsKey("mime_type"))) {
                return true;
            }
            return o.values().stream().anyMatch(item -> carriesBytes(item, depth + 1));
        }
        if (v instanceof JsonArray a) {
            return a.stream().anyMatch(item -> carriesBytes(item, depth + 1));
        }
        return false;
    }

    private static String modality(String mime) {
        if (mime == null) {
            return null;
        }
        return mime.startsWith("image/") ? "image" : mime.startsWith("audio/") ? "audio"
                : mime.startsWith("video/") ? "video" : null;
    }

    private static boolean isUrl(String s) {
        return s.startsWith("https://") || s.startsWith("http://");
    }

    private static String textOf(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v == null || v == JsonValue.NULL ? "" : v.toString();
    }

    public static String string(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
