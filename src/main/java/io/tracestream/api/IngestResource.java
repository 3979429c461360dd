package io.tracestream.api;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.EventBus.AppendResult;
import io.tracestream.stream.EventBus.NewEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.time.Clock;
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

/** Where producers send trace events. A {@code 202} means every event of the request is stored. */
@Path("/")
@ApplicationScoped
@Tag(name = "Ingest", description = "Send trace events")
public class IngestResource {

    static final String TRACE_ID_HEADER = "X-Trace-ID";

    @Inject
    TraceStreamConfig config;
    @Inject
    EventBus bus;
    @Inject
    ServiceMetrics metrics;

    private EventBodyReader reader;

    @PostConstruct
    void init() {
        reader = new EventBodyReader(config.maxBodyBytes(), config.maxBatch(), Clock.systemUTC());
    }

    @POST
    @Path("traces/{trace_id}/events")
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
        return store(read(body, traceId));
    }

    @POST
    @Path("events")
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
        return store(read(body, traceId));
    }

    private EventBodyReader.Batch read(InputStream body, String traceId) {
        try {
            return reader.read(body, traceId);
        } catch (InvalidEventsException e) {
            metrics.rejected(e instanceof EventBodyReader.TooLargeException ? "too_large" : "invalid", 1);
            throw e;
        }
    }

    private Response store(EventBodyReader.Batch batch) {
        List<NewEvent> events = batch.events().stream().map(IngestResource::prepare).toList();
        AppendResult result;
        try {
            result = bus.append(batch.traceId(), events);
        } catch (RuntimeException e) {
            metrics.rejected("unavailable", events.size());
            throw e;
        }
        metrics.ingested(result.stored());
        JsonArrayBuilder ids = Json.createArrayBuilder();
        result.ids().forEach(ids::add);
        return Response.accepted(Json.createObjectBuilder()
                        .add("trace_id", batch.traceId())
                        .add("ids", ids)
                        .add("duplicates", events.size() - result.stored())
                        .build())
                .header(TRACE_ID_HEADER, batch.traceId())
                .build();
    }

    private static NewEvent prepare(TraceEvent e) {
        return new NewEvent(e.eventType(), e.agentId(), e.eventId(), TraceEventJson.write(e));
    }
}
