package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.tracestream.domain.content.ContentDocument;
import io.tracestream.domain.content.MessageJson;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A conversation a producer flattened into one attribute per field, numbered: OpenInference's
 * {@code llm.input_messages.<i>.message.role|content|contents.<j>.message_content.*|tool_calls.<j>.tool_call.*}
 * and the older GenAI {@code gen_ai.prompt.<i>.role|content|tool_calls.<j>.*|finish_reason}, put back
 * together as messages. Why a sorted map: the keys arrive in any order (often lexical, which puts 10
 * before 2), and the index is a number; a long conversation is hundreds of keys, none of which may
 * be lost.
 */
final class FlatMessages {

    private static final String MESSAGE = "message.";
    private static final String CONTENTS = "contents.";
    private static final String TOOL_CALLS = "tool_calls.";

    /** OpenInference writes content as plain text; older GenAI sometimes as the JSON of content parts. */
    private final boolean openInference;
    private final TreeMap<Integer, Fields> byIndex = new TreeMap<>();

    private FlatMessages(boolean openInference) {
        this.openInference = openInference;
    }

    static FlatMessages openInference() {
        return new FlatMessages(true);
    }

    static FlatMessages olderGenAi() {
        return new FlatMessages(false);
    }

    /**
     * Reads one attribute, given what follows the convention's prefix ({@code 3.message.role},
     * {@code 3.tool_calls.0.name}); a field it does not know, or a key without an index, is skipped.
     */
    void read(String rest, AnyValue value) {
        int dot = rest.indexOf('.');
        int index = index(rest, 0, dot);
        if (index < 0) {
            return;
        }
        String field = rest.substring(dot + 1);
        if (field.startsWith(MESSAGE)) {
            field = field.substring(MESSAGE.length());
        }
        Fields m = byIndex.computeIfAbsent(index, i -> new Fields());
        switch (field) {
            case "role" -> m.role = SpanContent.raw(value);
            case "content" -> m.content = SpanContent.raw(value);
            case "tool_call_id" -> m.toolCallId = SpanContent.raw(value);
            case "finish_reason" -> m.finishReason = SpanContent.raw(value);
            // OpenAI's function calling before tools: one call, before any tool call.
            case "function_call_name" -> call(m, -1).name = SpanContent.raw(value);
            case "function_call_arguments_json" -> call(m, -1).arguments = SpanContent.raw(value);
            default -> {
                if (field.startsWith(CONTENTS)) {
                    content(m, field, value);
                } else if (field.startsWith(TOOL_CALLS)) {
                    toolCall(m, field, value);
                }
            }
        }
    }

    private static void content(Fields m, String field, AnyValue value) {
        int dot = field.indexOf('.', CONTENTS.length());
        int j = index(field, CONTENTS.length(), dot);
        if (j < 0) {
            return;
        }
        String sub = field.substring(dot + 1);
        if (sub.startsWith("message_content.")) {
            sub = sub.substring("message_content.".length());
        }
        Content c = m.contents.computeIfAbsent(j, k -> new Content());
        switch (sub) {
            case "type" -> c.type = SpanContent.raw(value);
            case "text" -> c.text = SpanContent.raw(value);
            case "image.image.url", "image_url.url", "image.url" -> c.url = SpanContent.raw(value);
            default -> { }
        }
    }

    private static void toolCall(Fields m, String field, AnyValue value) {
        int dot = field.indexOf('.', TOOL_CALLS.length());
        int j = index(field, TOOL_CALLS.length(), dot);
        if (j < 0) {
            return;
        }
        String sub = field.substring(dot + 1);
        if (sub.startsWith("tool_call.")) {
            sub = sub.substring("tool_call.".length());
        }
        if (sub.startsWith("function.")) {
            sub = sub.substring("function.".length());
        }
        switch (sub) {
            case "id" -> call(m, j).id = SpanContent.raw(value);
            case "name" -> call(m, j).name = SpanContent.raw(value);
            case "arguments" -> call(m, j).arguments = SpanContent.raw(value);
            default -> { }
        }
    }

    private static Call call(Fields m, int j) {
        return m.calls.computeIfAbsent(j, k -> new Call());
    }

    boolean isEmpty() {
        return byIndex.isEmpty();
    }

    /** The messages in index order; a message without a role gets {@code defaultRole}. */
    List<JsonObject> messages(String defaultRole) {
        List<JsonObject> out = new ArrayList<>(byIndex.size());
        for (Fields m : byIndex.values()) {
            out.add(m.message(defaultRole, openInference));
        }
        return out;
    }

    /** The number between {@code from} and {@code to}, or -1 when that is not a plain (small) number. */
    private static int index(String s, int from, int to) {
        if (to <= from || to - from > 9) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** One message's fields as they came. */
    private static final class Fields {
        String role;
        String content;
        String toolCallId;
        String finishReason;
        final Map<Integer, Content> contents = new TreeMap<>();
        final Map<Integer, Call> calls = new TreeMap<>();

        JsonObject message(String defaultRole, boolean openInference) {
            String r = role != null ? role : defaultRole;
            List<JsonObject> parts = new ArrayList<>(1 + contents.size() + calls.size());
            if ("tool".equals(r)) {
                String response = content != null ? content : joinedText();
                parts.add(ContentDocument.toolCallResponse(toolCallId,
                        response == null ? null : ContentDocument.jsonOrText(response)));
                return ContentDocument.message(r, parts, finishReason);
            }
            if (openInference) {
                if (content != null && !content.isEmpty()) {
                    parts.add(ContentDocument.text(content));
                }
            } else {
                parts.addAll(MessageJson.openAiContent(content));
            }
            for (Content c : contents.values()) {
                if ("image".equals(c.type) || (c.type == null && c.url != null)) {
                    parts.add(MessageJson.imageUrl(c.url));
                } else if (c.text != null) {
                    parts.add(ContentDocument.text(c.text));
                }
            }
            for (Call c : calls.values()) {
                parts.add(ContentDocument.toolCall(c.id, c.name,
                        c.arguments == null ? null : ContentDocument.jsonOrText(c.arguments)));
            }
            return ContentDocument.message(r, parts, finishReason);
        }

        private String joinedText() {
            StringBuilder text = null;
            for (Content c : contents.values()) {
                if (c.text != null) {
                    text = text == null ? new StringBuilder(c.text) : text.append('\n').append(c.text);
                }
            }
            return text == null ? null : text.toString();
        }
    }

    /** One part of a multimodal message. */
    private static final class Content {
        String type;
        String text;
        String url;
    }

    /** One tool call a message asked for. */
    private static final class Call {
        String id;
        String name;
        String arguments;
    }
}
