package io.tracestream.domain.guards;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;

/**
 * A run alert's JSON, the one form the stream's {@code alert} event, the summary's {@code alerts}
 * and the store carry: {@code {"kind", "severity", "message", "evidence": {...}, "event_ids": [...],
 * "resolved", "key", "at", "resolved_at"}}, snake_case, times as ISO-8601 UTC strings;
 * {@code resolved_at} only on a resolved alert.
 */
public final class RunAlertJson {

    private RunAlertJson() {}

    public static JsonObject toJson(RunAlert alert) {
        JsonObjectBuilder json = JsonFactories.object()
                .add("kind", alert.kind().wireName())
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
        return json.build();
    }

    /** The alert as JSON text: an SSE {@code alert} event's data. */
    public static String write(RunAlert alert) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(text)) {
            g.write(toJson(alert));
        }
        return text.toString();
    }

    /** Writes the alert as the next value of an array being written (the summary's {@code alerts}). */
    public static void write(JsonGenerator g, RunAlert alert) {
        g.write(toJson(alert));
    }
}
