package io.tracestream.api;

import io.tracestream.http.TraceIds;
import io.tracestream.http.ProblemException;
import io.tracestream.http.Problem;
import io.tracestream.domain.EntryId;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /traces/{trace_id}/events}: a trace's stored history. (POST, which appends, is
 * answered before JAX-RS by {@link JsonEventsEndpoint}.)
 */
@Path("/traces/{trace_id}/events")
@ApplicationScoped
public class TraceEventsResource {

    static final int DEFAULT_PAGE = 100;

    @Inject
    EventStore store;
    @Inject
    InFlightWork work;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Traces")
    @Operation(summary = "A trace's stored events, oldest first",
            description = "Paged: pass next_after as after for the next page; it is absent on the last page.")
    @APIResponse(responseCode = "200", description = "A page of TraceEvents",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventPage")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response events(
            @PathParam("trace_id") String traceId,
            @Parameter(description = "Only events after this id") @QueryParam("after") String after,
            @Parameter(description = "Page size, 1 to " + TraceQueryResource.MAX_PAGE, schema = @Schema(
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER, minimum = "1",
                    maximum = "" + TraceQueryResource.MAX_PAGE, defaultValue = "" + DEFAULT_PAGE))
            @QueryParam("limit") String limitParam) {
        int limit = TraceQueryResource.limit(limitParam, DEFAULT_PAGE);
        TraceIds.requireValid("trace_id", traceId);
        if (after != null && !after.isBlank() && !EntryId.isValid(after)) {
            throw new ProblemException(Problem.invalidParameter("after", "must be an event id such as 1732262445123-0"));
        }
        List<StoredEvent> page = read(traceId, after == null || after.isBlank() ? null : after, limit);
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

    @GET
    @Path("{event_id}/content")
    @Produces(MediaType.APPLICATION_JSON)
    @Tag(name = "Traces")
    @Operation(summary = "What one model or tool call said",
            description = "The content stored beside the event (its `content.kept` is true), in the OpenTelemetry GenAI "
                    + "message shape: system_instructions, input and output messages, tool_definitions, tool_call "
                    + "(name, arguments, result), and truncated when it was cut to tracestream.content.max-bytes. "
                    + "Same read access as the trace.")
    @APIResponse(responseCode = "200", description = "The call's content",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CallContent")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response content(@PathParam("trace_id") String traceId,
                            @Parameter(description = "The event's id, as in its `id` (and the SSE id)") @PathParam("event_id") String eventId) {
        TraceIds.requireValid("trace_id", traceId);
        if (!EntryId.isValid(eventId)) {
            throw new ProblemException(Problem.invalidParameter("event_id", "must be an event id such as 1732262445123-0"));
        }
        String json;
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ, traceId)) {
            json = store.content(traceId, eventId).orElseThrow(() -> new ProblemException(Problem.contentNotFound(traceId, eventId)));
        }
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** The store's part, read here rather than through {@code traces}: a unit of read work for the watchdog. */
    private List<StoredEvent> read(String traceId, String after, int limit) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ, traceId)) {
            if (store.head(traceId).isEmpty()) {
                throw new ProblemException(Problem.traceNotFound(traceId));
            }
            return store.read(traceId, after, limit);
        }
    }

}
