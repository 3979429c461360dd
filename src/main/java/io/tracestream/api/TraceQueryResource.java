package io.tracestream.api;

import io.tracestream.http.StreamRequest;
import io.tracestream.http.TraceIds;
import io.tracestream.http.ProblemException;
import io.tracestream.http.Problem;
import io.tracestream.auth.Access;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.summary.SequenceDiagram;
import io.tracestream.domain.summary.TraceListItem;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.domain.summary.TraceSummaryJson;
import io.tracestream.live.ListFilter;
import io.tracestream.live.ListStreams;
import io.tracestream.store.EventStore;
import io.tracestream.store.TraceActivity;
import io.tracestream.traces.TraceList;
import io.tracestream.traces.TraceSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Reading traces: the list (also as a stream of its changes), one trace's summary, its stored
 * events, its sequence diagram.
 */
@Path("/traces")
@ApplicationScoped
@Tag(name = "Traces", description = "Trace summaries, history and diagrams")
public class TraceQueryResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1000;
    /** At most this many traces are looked at for one filtered page, so a rare filter stays fast. */
    static final int MAX_SCANNED = 2000;
    private static final String MERMAID = "text/vnd.mermaid;charset=utf-8";

    /**
     * Below JSON's default quality of 1, so a client that accepts any type (or sends no Accept)
     * gets the JSON page; only one asking for text/event-stream, as EventSource does, gets the stream.
     */
    private static final String LIST_STREAM = MediaType.SERVER_SENT_EVENTS + ";qs=0.5";

    @Inject
    EventStore store;
    @Inject
    TraceSummaries summaries;
    @Inject
    TraceList traceList;
    @Inject
    ListStreams lists;
    @Inject
    TraceStreamConfig config;

    /** {@code GET /traces} as {@code text/event-stream}: described with {@link #list}, the one operation of the path. */
    @GET
    @Produces(LIST_STREAM)
    public void watch(@QueryParam("status") String status, @QueryParam("agent_id") String agentId,
                      @Context HttpServletRequest servletRequest, @Context HttpServletResponse servletResponse,
                      @Context SseEventSink sink) {
        TraceStatus wanted = statusFilter(status);
        String agent = agentId == null || agentId.isBlank() ? null : agentId; // matched as the JSON page matches it
        StreamRequest stream = StreamRequest.of(sink, servletRequest, servletResponse);
        if (!lists.open(new ListFilter(wanted, agent, tracePrefixes(servletRequest)), stream.client(), stream.endBy(),
                stream.ended())) {
            throw new ProblemException(Problem.tooManyStreams(config.maxConnections()));
        }
        stream.opened();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recent traces, newest activity first; or, as text/event-stream, their changes live",
            description = "JSON: each trace with status, start, end, duration, agent count, cost (null when part of it "
                    + "is unknown) and last activity. Follow next_cursor for the next page; it is absent on the last page.\n\n"
                    + "With `Accept: text/event-stream` (what EventSource sends): a stream of list changes. For each "
                    + "trace that had events, a named event `trace` whose data is the trace's row as the dashboard's "
                    + "list shows it (TraceRow), at most once per tracestream.sse.list-interval (1 s) per trace "
                    + "however many events it got; a comment line opens the stream and comes every "
                    + "tracestream.sse.heartbeat. Only `status` and `agent_id` apply; a trace leaving the status "
                    + "asked for is sent once more, so a client can take its row off. Rows are state, not history: "
                    + "there is no id and no replay, so a client reads the JSON list when it (re)connects and applies "
                    + "the rows that follow.")
    @APIResponse(responseCode = "200", description = "A page of traces, or the stream of list changes",
            content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TraceList")),
                    @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "TraceRow",
                            description = "The data of each `trace` event: one TraceRow as JSON"))})
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response list(
            @Parameter(description = "running, completed, failed or stalled") @QueryParam("status") String status,
            @Parameter(description = "Only traces in which this agent took part") @QueryParam("agent_id") String agentId,
            @Parameter(description = "Only traces active at or after this ISO-8601 instant (JSON only)") @QueryParam("since") String since,
            @Parameter(description = "next_cursor of the previous page (JSON only)") @QueryParam("cursor") String cursor,
            @Parameter(description = "Page size, 1 to " + MAX_PAGE + " (JSON only)", schema = @Schema(
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER, minimum = "1",
                    maximum = "" + MAX_PAGE, defaultValue = "" + DEFAULT_PAGE))
            @QueryParam("limit") String limitParam,
            @Context HttpServletRequest servletRequest) {
        int limit = limit(limitParam, DEFAULT_PAGE);
        TraceStatus wanted = statusFilter(status);
        long sinceMillis = sinceMillis(since);
        TraceActivity position = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        String agent = agentId == null || agentId.isBlank() ? null : agentId;
        TraceList.Page page = traceList.find(new TraceList.Query(wanted, agent, sinceMillis, position, limit, MAX_SCANNED,
                tracePrefixes(servletRequest)));
        List<TraceListItem> items = page.traces().stream().map(TraceListItem::of).toList();
        String list = TraceSummaryJson.writeList(items);
        String next = page.next() != null ? ",\"next_cursor\":\"" + encodeCursor(page.next()) + "\"" : "";
        return Response.ok("{\"traces\":" + list + next + "}", MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("{trace_id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A trace's summary",
            description = "Status, agents and their states, steps with timings, the dependency graph and critical path, "
                    + "the first failure with its callers, tokens and cost per agent and model, counts by event type. "
                    + "The same answer from every instance: it is folded from the stored history.")
    @APIResponse(responseCode = "200", description = "The summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TraceSummary")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response summary(@PathParam("trace_id") String traceId) {
        return Response.ok(TraceSummaryJson.write(existingSummary(traceId)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("{trace_id}/diagram")
    @Produces({MERMAID, MediaType.TEXT_PLAIN})
    @Operation(summary = "A Mermaid sequence diagram of the trace",
            description = "Calls, hand-offs and messages between agents, in order, failures marked. Every name and "
                    + "message is escaped so Mermaid parses the text whatever the agents called themselves. What "
                    + "frameworks' own steps did (the summary's steps with a `plumbing`) is left out unless "
                    + "`plumbing=true`.")
    @APIResponse(responseCode = "200", description = "Mermaid sequenceDiagram text",
            content = @Content(mediaType = MERMAID, schema = @Schema(implementation = String.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Response diagram(
            @PathParam("trace_id") String traceId,
            @Parameter(description = "Also draw what frameworks' own steps did (LangChain and LangGraph plumbing such as "
                    + "RunnableSequence, prompts and graph entry nodes; OpenAI Agents and Mastra internals): their "
                    + "replies and failures. Folded (false) by default, as the dashboard first shows them.")
            @QueryParam("plumbing") @DefaultValue("false") boolean plumbing) {
        return Response.ok(SequenceDiagram.render(existingSummary(traceId), plumbing)).build();
    }

    private TraceSummary existingSummary(String traceId) {
        TraceIds.requireValid("trace_id", traceId);
        if (store.head(traceId).isEmpty()) {
            throw new ProblemException(Problem.traceNotFound(traceId)); // also when it just expired
        }
        return summaries.summary(traceId).orElseThrow(() -> new ProblemException(Problem.traceNotFound(traceId)));
    }

    /** The traces the request's key may see: its prefixes (empty for every trace). */
    static List<String> tracePrefixes(HttpServletRequest request) {
        Object access = request.getAttribute(Access.REQUEST_ATTRIBUTE);
        if (!(access instanceof Access a)) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        return a.tracePrefixes();
    }

    /** The {@code status} parameter: null (every status) when absent or blank. */
    private static TraceStatus statusFilter(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return TraceStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.invalidParameter("status", "must be running, completed, failed or stalled"));
        }
    }

    /**
     * {@code since} as epoch milliseconds; none is the beginning of time. An instant beyond what a
     * long of milliseconds holds (year -999999999) is before or after every trace: clamped, where
     * {@code toEpochMilli} threw and the list answered 500 (found by HostileInputFuzzIT).
     */
    static long sinceMillis(String since) {
        if (since == null || since.isBlank()) {
            return Long.MIN_VALUE;
        }
        Instant at = parseInstant("since", since);
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException beyondLong) {
            return at.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static Instant parseInstant(String name, String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.invalidParameter(name, "must be an ISO-8601 instant such as 2025-01-20T10:30:45Z"));
        }
    }

    /** Parsed here rather than by JAX-RS, which answers a malformed number with a bare 404. */
    static int limit(String value, int defaultLimit) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw new ProblemException(Problem.invalidParameter("limit", "must be a whole number from 1 to " + MAX_PAGE));
    }

    static String encodeCursor(TraceActivity position) {
        String raw = position.lastEventMillis() + ":" + position.traceId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static TraceActivity decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new TraceActivity(raw.substring(colon + 1), Long.parseLong(raw.substring(0, colon)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ProblemException(Problem.invalidParameter("cursor", "is not a next_cursor this server gave"));
        }
    }
}
