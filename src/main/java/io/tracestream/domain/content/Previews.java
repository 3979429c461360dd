package io.tracestream.domain.content;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The short texts an event carries about its call, so a list of calls reads without a click:
 * what was last asked (the last user message; a tool's arguments) and what was answered (the
 * model's last text, or the tools it called; a tool's result).
 */
final class Previews {

    private Previews() {}

    static String input(JsonObject doc, int maxChars) {
        JsonObject toolCall = doc.getJsonObject(ContentDocument.TOOL_CALL);
        if (toolCall != null && toolCall.containsKey("arguments")) {
            return cut(text(toolCall.get("arguments")), maxChars);
        }
        JsonArray input = doc.getJsonArray(ContentDocument.INPUT);
        if (input == null || input.isEmpty()) {
            return null;
        }
        JsonObject chosen = null;
        for (int i = input.size() - 1; i >= 0 && chosen == null; i--) {
            JsonObject m = input.getJsonObject(i);
            if ("user".equals(m.getString(ContentDocument.ROLE, null))) {
                chosen = m;
            }
        }
        return cut(messageText(chosen != null ? chosen : input.getJsonObject(input.size() - 1)), maxChars);
    }

    static String output(JsonObject doc, int maxChars) {
        JsonObject toolCall = doc.getJsonObject(ContentDocument.TOOL_CALL);
        if (toolCall != null && toolCall.containsKey("result")) {
            return cut(text(toolCall.get("result")), maxChars);
        }
        JsonArray output = doc.getJsonArray(ContentDocument.OUTPUT);
        if (output == null || output.isEmpty()) {
            return null;
        }
        return cut(messageText(output.getJsonObject(output.size() - 1)), maxChars);
    }

    /** A message's text parts, or else what its other parts are: {@code get_weather({"city":"Paris"})}. */
    private static String messageText(JsonObject message) {
        JsonArray parts = message.getJsonArray(ContentDocument.PARTS);
        if (parts == null) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder other = new StringBuilder();
        for (JsonValue p : parts) {
            if (p.getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            JsonObject part = p.asJsonObject();
            String type = part.getString(ContentDocument.TYPE, "");
            switch (type) {
                case "text" -> append(text, part.getString(ContentDocument.CONTENT, ""));
                case "tool_call" -> append(other, part.getString("name", "tool") + "(" + text(part.get("arguments")) + ")");
                case "tool_call_response" -> append(other, text(part.get("response")));
                default -> append(other, part.getString("placeholder", "[" + type + "]"));
            }
        }
        String s = text.length() > 0 ? text.toString() : other.toString();
        return s.isEmpty() ? null : s;
    }

    private static void append(StringBuilder b, String s) {
        if (s != null && !s.isEmpty()) {
            b.append(b.length() > 0 ? " " : "").append(s);
        }
    }

    private static String text(JsonValue v) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return "";
        }
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    /** At most {@code maxChars} characters on one line, whitespace runs as one space, "…" when cut. */
    static String cut(String s, int maxChars) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), maxChars + 1));
        boolean space = false;
        for (int i = 0; i < s.length() && out.length() <= maxChars; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        if (out.length() == 0) {
            return null;
        }
        if (out.length() > maxChars) {
            int end = maxChars;
            if (Character.isHighSurrogate(out.charAt(end - 1))) {
                end--;
            }
            out.setLength(end);
            out.append('…');
        }
        return out.toString();
    }
}
