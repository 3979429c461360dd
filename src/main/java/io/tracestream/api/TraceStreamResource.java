package io.tracestream.api;

import io.tracestream.http.SseResponseHeaders;
import io.tracestream.http.StreamRequest;
import io.tracestream.http.TraceIds;
import io.tracestream.http.ProblemException;
import io.tracestream.http.Problem;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EntryId;
import io.tracestream.live.TraceStreams;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.TraceHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /traces/{trace_id}/stream}: a trace's events as Server-Sent Events, history then live. */
@Path("/traces/{trace_id}/stream")
@ApplicationScoped
@Tag(name = "Stream", description = "Watch a trace live")
public class TraceStreamResource {

    static final String LAST_EVENT_ID = "Last-Event-ID";

    @Inject
    TraceStreamConfig config;
    @Inject
    EventStore store;
    @Inject
    TraceStreams streams;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream a trace's events",
            description = "First the trace's stored history (after Last-Event-ID when given), then every new "
                    + "event the moment it is stored, with no gap and no duplicate between the two. Each event "
                    + "has an `id:` (its position in the trace, the resume token) and one `data:` line holding "
                    + "the TraceEvent JSON. A `retry:` hint comes first, and a comment line every "
                    + "tracestream.sse.heartbeat keeps proxies from closing the stream. Once the workflow has "
                    + "ended (workflow_completed, workflow_failed) and nothing more arrived for tracestream.trace.end-grace "
                    + "(2 s: late spans of concurrent exports), a named `end` event comes and the stream closes. When Last-Event-ID is older than the retained history, a named `history-truncated` "
                    + "event comes first and the X-Replay-From header names where the replay really starts.")
    @APIResponse(responseCode = "200", description = "The event stream; each SSE message's data is one TraceEvent as JSON",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "TraceEvent")))
    @APIResponse(responseCode = "204", description = "The trace is finished (its workflow ended and nothing arrived "
            + "for tracestream.trace.end-grace) and the client has every event (Last-Event-ID at or after the last one): "
            + "stop reconnecting")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public void stream(
            @Parameter(description = "Trace id: 1 to 128 of A-Z a-z 0-9 . _ : -")
            @PathParam("trace_id") String traceId,
            @Parameter(description = "Resume after this event id (sent by EventSource on reconnect)")
            @HeaderParam(LAST_EVENT_ID) String lastEventIdHeader,
            @Parameter(description = "Resume after this event id; for clients that cannot set headers. "
                    + "The Last-Event-ID header wins when both are given.")
            @QueryParam("last_event_id") String lastEventIdQuery,
            @Parameter(description = "Only these event types, comma-separated")
            @QueryParam("event_type") String eventTypes,
            @Parameter(description = "Only events of this agent")
            @QueryParam("agent_id") String agentId,
            @Parameter(description = "Also send the trace's updated summary (GET /traces/{trace_id}) as a named "
                    + "`summary` event after the replay and after each batch of events")
            @QueryParam("summary") @DefaultValue("false") boolean withSummary,
            @Parameter(description = "Each event whose call's content is stored carries it whole, in content.full "
                    + "(the shape of GET /traces/{trace_id}/events/{id}/content); without it, events carry previews only")
            @QueryParam("content") @DefaultValue("false") boolean withContent,
            @Context ContainerRequestContext request,
            @Context HttpServletRequest servletRequest,
            @Context HttpServletResponse servletResponse,
            @Context SseEventSink sink) {
        TraceIds.requireValid("trace_id", traceId);
        String resumeAfter = resumePoint(lastEventIdHeader, lastEventIdQuery);
        Predicate<StoredEvent> filter = filter(eventTypes, agentId);
        TraceHead head = store.head(traceId)
                .orElseThrow(() -> new ProblemException(Problem.traceNotFound(traceId)));
        if (head.finishedFor(resumeAfter, System.currentTimeMillis(), config.endGrace().toMillis())) {
            // The client has every event, the workflow's end included: 204 tells EventSource to stop.
            throw new WebApplicationException(Response.noContent().build());
        }
        String truncatedFrom = head.lostAfter(resumeAfter) ? head.firstId() : null;
        if (truncatedFrom != null) {
            request.setProperty(SseResponseHeaders.REPLAY_FROM, truncatedFrom);
        }
        StreamRequest stream = StreamRequest.of(sink, servletRequest, servletResponse);
        if (!streams.open(traceId, resumeAfter, truncatedFrom, head.endId(), withSummary, withContent, filter, stream.client(),
                stream.endBy(), stream.ended())) {
            throw new ProblemException(Problem.tooManyStreams(config.maxConnections()));
        }
        stream.opened();
    }

    private static String resumePoint(String header, String query) {
        String id = header != null && !header.isBlank() ? header.trim() : query;
        if (id == null || id.isBlank()) {
            return null;
        }
        if (!EntryId.isValid(id)) {
            String where = header != null && !header.isBlank() ? LAST_EVENT_ID : "last_event_id";
            throw new ProblemException(Problem.invalidParameter(where,
                    "must be an event id such as 1732262445123-0 (got " + id + ")"));
        }
        return id;
    }

    private static Predicate<StoredEvent> filter(String eventTypes, String agentId) {
        Predicate<StoredEvent> filter = e -> true;
        if (eventTypes != null && !eventTypes.isBlank()) {
            Set<String> types = Arrays.stream(eventTypes.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
            filter = filter.and(e -> types.contains(e.eventType()));
        }
        if (agentId != null && !agentId.isBlank()) {
            filter = filter.and(e -> agentId.equals(e.agentId()));
        }
        return filter;
    }

}
