package io.tracestream.domain.summary;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run guards' findings stored in a trace ({@code alert} events), current and past: one entry
 * per finding, in the order they were raised, as last stored (a resolution replaces its raise, so
 * each finding reads as open or resolved). Kept apart from the fold of the run's events: alerts say
 * something about the run, they are not part of it.
 */
final class RunAlertLog {

    /** The stored event's members that say where it is, not what was found. */
    private static final Set<String> PLACE = Set.of("trace_id", "event_type", "timestamp");

    private final Map<String, JsonObject> byKey = new LinkedHashMap<>();

    /** Takes in a stored {@code alert} event: its {@code id} is kept, as where the finding was stored. */
    void add(JsonObject stored) {
        String key = stored.getString("key", null);
        if (key == null) {
            return;
        }
        JsonObjectBuilder alert = JsonFactories.object();
        stored.forEach((name, value) -> {
            if (!PLACE.contains(name)) {
                alert.add(name, value);
            }
        });
        byKey.put(key, alert.build());
    }

    List<JsonObject> all() {
        return List.copyOf(byKey.values());
    }
}
