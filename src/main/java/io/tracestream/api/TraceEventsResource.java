package io.tracestream.api;

import io.tracestream.stream.EntryId;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /traces/{trace_id}/events}: a trace's events; POST appends, GET reads the stored history. */
@Path("/traces/{trace_id}/events")
@ApplicationScoped
@Tag(name = "Ingest")
public class TraceEventsResource {

    static final int DEFAULT_PAGE = 100;
    static final String TRACE_ID_HEADER = EventIngest.TRACE_ID_HEADER;

    @Inject
    EventIngest ingest;
    @Inject
    EventBus bus;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store events of one trace",
            description = "One TraceEvent or a JSON array of them (at most tracestream.ingest.max-batch). "
                    + "All or nothing: one invalid event rejects the request and nothing is stored. "
                    + "The body's trace_id may be left out; if present it must match the path. "
                    + "An event whose event_id was already stored in this trace within "
                    + "tracestream.ingest.dedup-window is not stored again; its original id is answered.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {TraceEventSchema.class, TraceEventSchema[].class})))
    @APIResponse(responseCode = "202", description = "Stored; the ids in request order",
            headers = @Header(name = TRACE_ID_HEADER, description = "The trace id", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestAnswerSchema.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response appendToTrace(
            @Parameter(description = "Trace id: 1 to 128 of A-Z a-z 0-9 . _ : -")
            @PathParam("trace_id") String traceId,
            InputStream body) {
        TraceIds.requireValid("trace_id", traceId);
        return ingest.ingest(body, traceId);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Traces")
    @Operation(summary = "A trace's stored events, oldest first",
            description = "Paged: pass next_after as after for the next page; it is absent on the last page.")
    @APIResponse(responseCode = "200", description = "A page of TraceEvents",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventPageSchema.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response events(
            @PathParam("trace_id") String traceId,
            @Parameter(description = "Only events after this id") @QueryParam("after") String after,
            @Parameter(description = "Page size, 1 to " + TraceQueryResource.MAX_PAGE) @QueryParam("limit") String limitParam) {
        int limit = TraceQueryResource.limit(limitParam, DEFAULT_PAGE);
        TraceIds.requireValid("trace_id", traceId);
        if (after != null && !after.isBlank() && !EntryId.isValid(after)) {
            throw new ProblemException(Problem.invalidParameter("after", "must be an event id such as 1732262445123-0"));
        }
        if (bus.head(traceId).isEmpty()) {
            throw new ProblemException(Problem.traceNotFound(traceId));
        }
        List<StoredEvent> page = bus.read(traceId, after == null || after.isBlank() ? null : after, limit);
        StringBuilder json = new StringBuilder(page.size() * 256 + 64).append("{\"trace_id\":\"").append(traceId)
                .append("\",\"events\":[");
        for (int i = 0; i < page.size(); i++) {
            json.append(i == 0 ? "" : ",").append(page.get(i).json());
        }
        json.append(']');
        if (page.size() == limit) {
            json.append(",\"next_after\":\"").append(page.get(page.size() - 1).id()).append('"');
        }
        return Response.ok(json.append('}').toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

}
