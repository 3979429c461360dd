package io.tracestream.domain.guards;

import io.tracestream.domain.summary.TestEvent;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsAlertJsonTest {

    private static final RunAlert LOOP = RunAlert.raised(AlertKind.LOOP, AlertSeverity.CRITICAL,
            "tool search called 4 times with the same arguments (limit 4)",
            JsonFactories.object().add("tool", "search").add("calls", 4).build(),
            List.of("1-0", "2-0", "3-0", "4-0"), "loop:tool:search:0123456789abcdef", second(3));

    private static JsonObject read(String text) {
        try (var reader = JsonFactories.reader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void anAlertIsWrittenSnakeCaseWithItsEvidenceAndEventIds() {
        JsonObject json = read(RunAlertJson.write(LOOP));

        assertEquals(List.of("kind", "severity", "message", "evidence", "event_ids", "resolved", "key", "at"),
                List.copyOf(json.keySet()));
        assertEquals("loop", json.getString("kind"));
        assertEquals("critical", json.getString("severity"));
        assertEquals(4, json.getJsonObject("evidence").getInt("calls"));
        assertEquals(List.of("1-0", "2-0", "3-0", "4-0"), json.getJsonArray("event_ids").getValuesAs(jakarta.json.JsonString::getString));
        assertFalse(json.getBoolean("resolved"));
        assertEquals("2025-01-20T09:00:03Z", json.getString("at"));
        assertFalse(json.containsKey("resolved_at"));
    }

    @Test
    void aResolvedAlertIsTheSameAlertWithWhenItCleared() {
        JsonObject json = RunAlertJson.toJson(LOOP.resolvedAt(second(30)));

        assertEquals(true, json.getBoolean("resolved"));
        assertEquals("loop:tool:search:0123456789abcdef", json.getString("key"));
        assertEquals("2025-01-20T09:00:03Z", json.getString("at"));
        assertEquals("2025-01-20T09:00:30Z", json.getString("resolved_at"));
    }

    @Test
    void everyKindAndSeverityHasItsWireName() {
        assertEquals(List.of("loop", "budget", "silent", "error_burst", "too_long"),
                java.util.Arrays.stream(AlertKind.values()).map(AlertKind::wireName).toList());
        assertEquals(List.of("warning", "critical"),
                java.util.Arrays.stream(AlertSeverity.values()).map(AlertSeverity::wireName).toList());
    }
}
