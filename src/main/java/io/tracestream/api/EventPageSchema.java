package io.tracestream.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of {@code GET /traces/{trace_id}/events} in the OpenAPI document. */
@Schema(name = "EventPage")
public class EventPageSchema {
    @Schema(name = "trace_id") public String traceId;
    public List<TraceEventSchema> events;
    @Schema(name = "next_after", description = "Pass as after for the next page; absent on the last page")
    public String nextAfter;
}
