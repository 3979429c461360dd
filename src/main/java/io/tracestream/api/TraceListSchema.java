package io.tracestream.api;

import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of {@code GET /traces} in the OpenAPI document. */
@Schema(name = "TraceList")
public class TraceListSchema {
    public List<Item> traces;
    @Schema(name = "next_cursor", description = "Pass as cursor for the next page; absent on the last page")
    public String nextCursor;

    @Schema(name = "TraceListItem")
    public static class Item {
        @Schema(name = "trace_id") public String traceId;
        @Schema(enumeration = {"running", "stalled", "completed", "failed"}) public String status;
        @Schema(name = "started_at", format = "date-time", nullable = true) public String startedAt;
        @Schema(name = "ended_at", format = "date-time", nullable = true) public String endedAt;
        @Schema(name = "duration_ms", type = SchemaType.INTEGER, format = "int64") public long durationMs;
        @Schema(name = "agent_count") public int agentCount;
        @Schema(name = "cost_usd", description = "null when part of the cost is unknown", nullable = true) public BigDecimal costUsd;
        @Schema(name = "last_event_at", format = "date-time", nullable = true) public String lastEventAt;
        @Schema(name = "event_count", type = SchemaType.INTEGER, format = "int64") public long eventCount;
        @Schema(name = "open_alerts", type = SchemaType.INTEGER, format = "int64", description = "The run guards' findings not yet resolved") public long openAlerts;
    }
}
