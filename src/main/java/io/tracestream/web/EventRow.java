package io.tracestream.web;

import io.tracestream.domain.TraceEvent;
import io.tracestream.store.StoredEvent;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of the event log: when (from the trace's start), what, who, a one-line gist, and the
 * full JSON to expand. {@code trace.js} makes the same line from a live event ({@code eventText}).
 *
 * @param agentId the agent shown, which the log's agent filter matches: for a stand-in, the one the
 *                summary settled on once known ({@link SpanAgents})
 * @param standIn the {@code agent_id} the stored event names when it is a stand-in (the service's
 *                name), else {@code null}: {@code trace.js} shows the real agent in its place
 *                when a later summary knows it
 * @param spanId  the event's span, by which a stand-in's real agent is looked up
 * @param json    the event as stored, stand-in included: the row's label may say more than the
 *                event did, the JSON never does
 * @param said    for a call that carries content, what was asked and answered in a line (the
 *                {@code content} member's previews: {@link #said}), else {@code null}
 * @param saidTitle the previews whole, for the line's tooltip, or {@code null}
 */
public record EventRow(String id, String type, String agentId, String standIn, String spanId, String offset,
                       String timestamp, String text, String json, boolean failed, String said, String saidTitle) {

    private static final JsonWriterFactory PRETTY = JsonFactories.provider().createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
    /** The gist is a line, not the whole message: the JSON below it has everything. */
    static final int MAX_TEXT = 200;
    /** Each preview in the row's line; the tooltip and the conversation panel have more. */
    static final int MAX_PREVIEW = 160;
    /** The member of an event's JSON with what its call said, in previews ({@code domain.CallContent}). */
    static final String CONTENT = "content";

    /** @param e the stored event, read ({@code TraceEventJson.readStored}) */
    static EventRow of(StoredEvent stored, TraceEvent e, Instant traceStart, SpanAgents agents) {
        boolean failed = e.eventType().endsWith("_failed") || e.error() != null || "failed".equals(e.status());
        JsonValue json = parse(stored.json());
        JsonValue content = json instanceof JsonObject o ? o.get(CONTENT) : null;
        JsonObject previews = content instanceof JsonObject c ? c : null;
        return new EventRow(stored.id(), e.eventType(), agents.shown(e), SpanAgents.isStandIn(e) ? e.agentId() : null,
                e.spanId(), Formats.INSTANCE.offset(e.timestamp(), traceStart),
                e.timestamp() == null ? "" : e.timestamp().toString(), text(e), pretty(json), failed,
                said(previews), saidTitle(previews));
    }

    /** True for the events whose conversation the page opens: model and tool calls. */
    public boolean call() {
        return "llm_call".equals(type) || "tool_call".equals(type);
    }

    /**
     * What a call was asked and answered, in one line: {@code “asked” → “answered”}, each preview on
     * one line and cut to {@link #MAX_PREVIEW}; {@code null} when the event has no previews (its
     * content was not captured). As {@code trace.js} words it ({@code saidLine}).
     */
    static String said(JsonObject content) {
        String in = preview(content, "input_preview");
        String out = preview(content, "output_preview");
        if (in == null && out == null) {
            return null;
        }
        if (out == null) {
            return quote(in);
        }
        return in == null ? "→ " + quote(out) : quote(in) + " → " + quote(out);
    }

    /** The previews whole, for the tooltip; {@code null} when there are none. As {@code trace.js} ({@code saidTitle}). */
    static String saidTitle(JsonObject content) {
        String in = text(content, "input_preview");
        String out = text(content, "output_preview");
        if (in == null && out == null) {
            return null;
        }
        List<String> lines = new ArrayList<>(2);
        if (in != null) {
            lines.add("Input: " + in);
        }
        if (out != null) {
            lines.add("Output: " + out);
        }
        return String.join("\n", lines);
    }

    private static String text(JsonObject content, String name) {
        if (content == null || !(content.get(name) instanceof JsonString s) || s.getString().isBlank()) {
            return null;
        }
        return s.getString();
    }

    private static String preview(JsonObject content, String name) {
        String text = text(content, name);
        if (text == null) {
            return null;
        }
        String line = text.strip().replaceAll("(?U)\\s+", " ");
        return line.length() <= MAX_PREVIEW ? line : line.substring(0, MAX_PREVIEW - 1) + "…";
    }

    private static String quote(String s) {
        return "“" + s + "”";
    }

    /** The label's tooltip when the agent shown is not the one the event named; else {@code null}. */
    public String agentTitle() {
        return standIn == null || standIn.equals(agentId) ? null : standInTitle(standIn);
    }

    /** As {@code trace.js} words it. */
    static String standInTitle(String standIn) {
        return "reported as " + standIn + " (the service, standing in until its agent was known)";
    }

    static String text(TraceEvent e) {
        List<String> parts = new ArrayList<>();
        Map<String, Object> a = e.attributes();
        if (e.error() != null) {
            parts.add(join(e.error().type(), e.error().message(), ": "));
        }
        switch (e.eventType()) {
            case "agent_transition", "message" -> {
                if (a.get("to_agent") != null) {
                    parts.add("→ " + a.get("to_agent"));
                }
                add(parts, a.get("reason"));
                add(parts, a.get("content"));
            }
            case "llm_call" -> {
                add(parts, e.model());
                if (e.inputTokens() != null || e.outputTokens() != null) {
                    parts.add(Formats.INSTANCE.tokens(orZero(e.inputTokens())) + " in / "
                            + Formats.INSTANCE.tokens(orZero(e.outputTokens())) + " out");
                }
                add(parts, a.get("purpose"));
            }
            case "tool_call" -> add(parts, a.get("tool"));
            case "task_started", "task_completed", "task_failed", "agent_called" -> add(parts, e.taskId());
            default -> { }
        }
        add(parts, a.get("message"));
        if (e.durationMs() != null) {
            parts.add(Formats.INSTANCE.duration(e.durationMs()));
        }
        String text = String.join(" · ", parts);
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    private static void add(List<String> parts, Object value) {
        if (value != null && !value.toString().isBlank()) {
            parts.add(value.toString());
        }
    }

    private static String join(String a, String b, String separator) {
        if (a == null) {
            return b == null ? "" : b;
        }
        return b == null ? a : a + separator + b;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static JsonValue parse(String json) {
        try (JsonReader reader = JsonFactories.reader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    private static String pretty(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = PRETTY.createWriter(out)) {
            writer.write(value);
        }
        return out.toString().strip();
    }
}
