package io.tracestream.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where producers send trace events. A {@code 202} means every event of the request is stored. */
@Path("/events")
@ApplicationScoped
@Tag(name = "Ingest", description = "Send trace events")
public class IngestResource {

    static final String TRACE_ID_HEADER = EventIngest.TRACE_ID_HEADER;

    @Inject
    EventIngest ingest;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store events, trace id from the X-Trace-ID header",
            description = "Like POST /traces/{trace_id}/events, with the trace id taken from the X-Trace-ID "
                    + "header (a workflow's session id is its trace id), else from the body's trace_id, "
                    + "else minted by the server. The response's X-Trace-ID says which.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {TraceEventSchema.class, TraceEventSchema[].class})))
    @APIResponse(responseCode = "202", description = "Stored; the ids in request order",
            headers = @Header(name = TRACE_ID_HEADER, description = "The trace id: the header's, the body's or a new one",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IngestAnswerSchema.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response append(
            @Parameter(description = "The workflow's trace id (session id)")
            @HeaderParam(TRACE_ID_HEADER) String traceIdHeader,
            InputStream body) {
        String traceId = traceIdHeader == null || traceIdHeader.isEmpty() ? null : traceIdHeader;
        if (traceId != null) {
            TraceIds.requireValid(TRACE_ID_HEADER, traceId);
        }
        return ingest.ingest(body, traceId);
    }
}
