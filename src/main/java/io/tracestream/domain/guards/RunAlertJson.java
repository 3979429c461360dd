package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;

/**
 * A run alert's JSON, the one form the stream's {@code alert} event, the summary's {@code alerts}
 * and the store carry: {@code {"kind", "severity", "message", "evidence": {...}, "event_ids": [...],
 * "resolved", "key", "at", "resolved_at"}}, snake_case, times as ISO-8601 UTC strings;
 * {@code resolved_at} only on a resolved alert.
 *
 * <p>Stored in its trace's history as an event of type {@link EventType#ALERT}: the same members after
 * {@code trace_id}, {@code event_type}, {@code agent_id} (the agent of the last event involved, when
 * known) and {@code timestamp} (when it was raised, or resolved), so every reader of a history, and
 * every client of a stream, sees it in order with the events it is about.
 */
public final class RunAlertJson {

    private RunAlertJson() {}

    public static JsonObject toJson(RunAlert alert) {
        return members(JsonFactories.object(), alert).build();
    }

    /** The alert as an event of its trace, without {@code id} (the store's): what is appended. */
    public static String storedEvent(String traceId, String agentId, RunAlert alert) {
        JsonObjectBuilder json = JsonFactories.object()
                .add("trace_id", traceId)
                .add("event_type", EventType.ALERT);
        if (agentId != null) {
            json.add("agent_id", agentId);
        }
        Instant when = alert.resolved() ? alert.resolvedAt() : alert.at();
        if (when != null) {
            json.add("timestamp", when.toString());
        }
        return write(members(json, alert).build());
    }

    /**
     * The dedup id of the alert's event: one per finding raised and one per finding resolved, so
     * instances that find the same thing store it once.
     */
    public static String eventId(RunAlert alert) {
        return "alert:" + alert.key() + (alert.resolved() ? ":resolved" : "");
    }

    /** Reads an alert back from its stored event or its JSON. */
    public static RunAlert read(JsonObject json) {
        List<String> ids = new ArrayList<>();
        JsonArray eventIds = json.getJsonArray("event_ids");
        if (eventIds != null) {
            eventIds.getValuesAs(JsonString.class).forEach(id -> ids.add(id.getString()));
        }
        return new RunAlert(AlertKind.valueOf(json.getString("kind").toUpperCase(Locale.ROOT)),
                AlertSeverity.valueOf(json.getString("severity").toUpperCase(Locale.ROOT)),
                json.getString("message", ""),
                json.containsKey("evidence") && json.get("evidence") instanceof JsonObject o ? o : JsonObject.EMPTY_JSON_OBJECT,
                ids, json.getString("key"), instant(json, "at"), json.getBoolean("resolved", false),
                instant(json, "resolved_at"));
    }

    private static Instant instant(JsonObject json, String name) {
        return json.get(name) instanceof JsonString s ? Instant.parse(s.getString()) : null;
    }

    private static JsonObjectBuilder members(JsonObjectBuilder json, RunAlert alert) {
        json.add("kind", alert.kind().wireName())
                .add("severity", alert.severity().wireName())
                .add("message", alert.message() == null ? "" : alert.message())
                .add("evidence", alert.evidence() == null ? JsonObject.EMPTY_JSON_OBJECT : alert.evidence());
        var ids = JsonFactories.array();
        alert.eventIds().forEach(ids::add);
        json.add("event_ids", ids)
                .add("resolved", alert.resolved())
                .add("key", alert.key());
        if (alert.at() != null) {
            json.add("at", alert.at().toString());
        } else {
            json.addNull("at");
        }
        if (alert.resolvedAt() != null) {
            json.add("resolved_at", alert.resolvedAt().toString());
        }
        return json;
    }

    /** The alert as JSON text. */
    public static String write(RunAlert alert) {
        return write(toJson(alert));
    }

    private static String write(JsonObject json) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(text)) {
            g.write(json);
        }
        return text.toString();
    }

    /** Writes the alert as the next value of an array being written (the summary's {@code alerts}). */
    public static void write(JsonGenerator g, RunAlert alert) {
        g.write(toJson(alert));
    }
}
