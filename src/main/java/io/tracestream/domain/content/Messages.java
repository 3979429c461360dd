package io.tracestream.domain.content;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages as producers write them in JSON, rebuilt in the GenAI shape through
 * {@link ContentDocument}'s builders, so that nothing but the schema's members is kept (no base64,
 * no producer junk). Accepted: GenAI messages ({@code {"role", "parts": [...], "finish_reason"}}),
 * the common chat shape ({@code {"role", "content": "text"}}), one message object, or a string
 * (one text message). A part of a type the schema does not know is kept as its JSON, as text.
 */
public final class Messages {

    private Messages() {}

    /** The messages {@code value} holds; {@code defaultRole} for those that name none. */
    public static List<JsonObject> read(JsonValue value, String defaultRole) {
        List<JsonObject> out = new ArrayList<>();
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return out;
        }
        switch (value.getValueType()) {
            case ARRAY -> {
                for (JsonValue v : value.asJsonArray()) {
                    JsonObject m = message(v, defaultRole);
                    if (m != null) {
                        out.add(m);
                    }
                }
            }
            default -> {
                JsonObject m = message(value, defaultRole);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** One message, or {@code null} for JSON that holds none. */
    public static JsonObject message(JsonValue v, String defaultRole) {
        if (v instanceof JsonString s) {
            return ContentDocument.textMessage(defaultRole, s.getString());
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            return v.getValueType() == JsonValue.ValueType.NULL ? null : ContentDocument.textMessage(defaultRole, v.toString());
        }
        JsonObject m = v.asJsonObject();
        String role = string(m, ContentDocument.ROLE, defaultRole);
        List<JsonObject> parts = new ArrayList<>();
        JsonValue listed = m.containsKey(ContentDocument.PARTS) ? m.get(ContentDocument.PARTS) : m.get(ContentDocument.CONTENT);
        if (listed instanceof JsonString s) {
            parts.add(ContentDocument.text(s.getString()));
        } else if (listed != null && listed.getValueType() == JsonValue.ValueType.ARRAY) {
            for (JsonValue p : listed.asJsonArray()) {
                parts.add(part(p));
            }
        } else if (listed != null && listed.getValueType() != JsonValue.ValueType.NULL) {
            parts.add(part(listed));
        }
        return ContentDocument.message(role, parts, string(m, ContentDocument.FINISH_REASON, null));
    }

    /** One part, in the schema's shape. */
    public static JsonObject part(JsonValue v) {
        if (v instanceof JsonString s) {
            return ContentDocument.text(s.getString());
        }
        if (v.getValueType() != JsonValue.ValueType.OBJECT) {
            return ContentDocument.text(v.toString());
        }
        JsonObject p = v.asJsonObject();
        String type = string(p, ContentDocument.TYPE, "text");
        return switch (type) {
            case "text", "reasoning" -> p.get(ContentDocument.CONTENT) instanceof JsonString s
                    ? ContentDocument.text(s.getString())
                    : ContentDocument.text(p.containsKey("text") ? string(p, "text", "") : p.toString());
            case "tool_call" -> ContentDocument.toolCall(string(p, "id", null), string(p, "name", null), arguments(p.get("arguments")));
            case "tool_call_response" -> ContentDocument.toolCallResponse(string(p, "id", null), arguments(p.get("response")));
            case "blob", "file", "uri" -> ContentDocument.media(type, string(p, "modality", null), string(p, "mime_type", null),
                    string(p, "file_id", string(p, "uri", null)));
            default -> ContentDocument.text(p.toString());
        };
    }

    /** Arguments or a response: JSON text parsed when it is JSON, other JSON as it is. */
    public static JsonValue arguments(JsonValue v) {
        if (v == null) {
            return null;
        }
        return v instanceof JsonString s ? ContentDocument.jsonOrText(s.getString()) : v;
    }

    private static String string(JsonObject o, String name, String otherwise) {
        return o.get(name) instanceof JsonString s ? s.getString() : otherwise;
    }
}
