package io.tracestream.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shape of a {@code 202} ingest answer in the OpenAPI document. */
@Schema(name = "IngestAnswer")
public class IngestAnswerSchema {
    @Schema(name = "trace_id", description = "The trace the events were stored in")
    public String traceId;
    @Schema(description = "The id of each event, in request order (the original id for a duplicate event_id)")
    public List<String> ids;
    @Schema(description = "How many events were duplicates of ones already stored (same event_id)")
    public int duplicates;
}
