package io.tracestream.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The data of a {@code trace} event of the list stream ({@code GET /traces} as SSE) in the OpenAPI document. */
@Schema(name = "TraceRow", description = "A trace's line in the dashboard's list: its state after the latest "
        + "events, sent at most once per tracestream.sse.list-interval per trace")
public class TraceRowSchema {
    @Schema(name = "trace_id") public String traceId;
    @Schema(enumeration = {"running", "stalled", "completed", "failed"}) public String status;
    @Schema(type = SchemaType.ARRAY, implementation = String.class,
            description = "The agents that took part, in order of appearance") public List<String> agents;
    @Schema(name = "started_at", format = "date-time", nullable = true) public String startedAt;
    @Schema(name = "ended_at", format = "date-time", nullable = true) public String endedAt;
    @Schema(name = "duration_ms", type = SchemaType.INTEGER, format = "int64",
            description = "Up to the latest event while running: clients tick it on") public long durationMs;
    @Schema(name = "cost_text", description = "The cost as the dashboard shows it: $0.0123, a floor (≥ $0.01) "
            + "when some model has no price, or unknown") public String costText;
    @Schema(name = "last_event_at", format = "date-time", nullable = true) public String lastEventAt;
    @Schema(name = "event_count", type = SchemaType.INTEGER, format = "int64") public long eventCount;
    @Schema(description = "The first failure's message, or the workflow's error; null when none", nullable = true) public String error;
    @Schema(name = "open_alerts", type = SchemaType.INTEGER, format = "int64", description = "The run guards' findings not yet resolved") public long openAlerts;
    @Schema(name = "alert_severity", enumeration = {"warning", "critical"}, description = "With open alerts: the most urgent") public String alertSeverity;
    @Schema(name = "alert_message", description = "With open alerts: the latest one's message") public String alertMessage;
}
