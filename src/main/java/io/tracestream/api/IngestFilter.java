package io.tracestream.api;

import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import io.tracestream.auth.RefusedException;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.JsonFactories;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.ops.ThrottledWarning;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where producers send events: {@code POST /traces/{trace_id}/events} and {@code POST /events}
 * (trace id from {@code X-Trace-ID}, else the body, else minted). A {@code 202} means every
 * event of the request is stored; every failure is a problem document and stores nothing.
 *
 * <p>Why a servlet filter rather than a JAX-RS resource: ingest is the one path hit once per
 * event, and on Payara Micro the JAX-RS machinery around a request (routing, scopes, providers,
 * listeners) cost more CPU than everything Trace Stream does to store the event; measured in
 * docs/benchmarks.md. Every other request goes on to JAX-RS. The two operations are described
 * in {@code META-INF/openapi.yaml}, merged into {@code /openapi}.
 */
@WebFilter(filterName = "ingest", urlPatterns = {"/events", "/traces/*"}, asyncSupported = true)
public class IngestFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(IngestFilter.class.getName());
    /** Every request is refused while the store is away: say so once a minute, not once a request. */
    private static final ThrottledWarning UNAVAILABLE = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    static final String EVENTS_ROUTE = "/events";
    static final String TRACE_EVENTS_ROUTE = "/traces/{trace_id}/events";
    private static final String TRACES = "/traces/";
    private static final String EVENTS = "/events";
    private static final String JSON = "application/json";
    /** Names the trace of {@code POST /events}, and says which trace the events went to. */
    static final String TRACE_ID_HEADER = "X-Trace-ID";

    @Inject
    EventIngest ingest;
    @Inject
    TraceStreamConfig config;
    @Inject
    ServerSpans spans;
    @Inject
    Cors cors;
    @Inject
    AccessControl access;

    private EventBodyReader reader;

    @Override
    public void init() {
        reader = new EventBodyReader(config.maxBodyBytes(), config.maxBatch(), config.maxJsonDepth());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String route;
        String traceId;
        if (path.equals(EVENTS)) {
            route = EVENTS_ROUTE;
            traceId = request.getHeader(TRACE_ID_HEADER);
        } else if (path.startsWith(TRACES) && path.endsWith(EVENTS) && path.length() > TRACES.length() + EVENTS.length()
                && path.indexOf('/', TRACES.length()) == path.length() - EVENTS.length()) {
            route = TRACE_EVENTS_ROUTE;
            traceId = path.substring(TRACES.length(), path.length() - EVENTS.length());
        } else {
            chain.doFilter(request, response);
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> post(request, response, route, traceId);
            case "OPTIONS" -> preflight(request, response, route);
            default -> {
                if (route.equals(TRACE_EVENTS_ROUTE)) {
                    chain.doFilter(request, response); // GET reads the history (JAX-RS)
                } else {
                    response.setHeader("Allow", "POST, OPTIONS");
                    problem(request, response, Problem.of(405, "Method Not Allowed", request.getMethod() + " " + EVENTS
                            + " is not supported; send events with POST"));
                }
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response, String route, String traceId)
            throws IOException {
        try (ServerSpans.Request span = spans.start(request, route)) {
            int status;
            try {
                status = store(request, response, route, traceId);
            } catch (ProblemException e) {
                status = problem(request, response, e.problem());
            } catch (RefusedException e) {
                cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
                Refusals.problem(request, response, e.refusal());
                status = e.refusal().status();
            } catch (InvalidEventsException e) {
                status = problem(request, response, Problem.invalidEvents(e.errors()));
            } catch (StoreUnavailableException e) {
                UNAVAILABLE.warn(() -> "Answering 503: " + e.getMessage());
                status = problem(request, response, Problem.unavailable(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected error storing events", e);
                status = problem(request, response, Problem.internalError());
            } finally {
                TraceCorrelation.clear(); // request threads are pooled: the next request starts clean
            }
            span.status(status);
        }
    }

    private int store(HttpServletRequest request, HttpServletResponse response, String route, String traceId)
            throws IOException {
        boolean fromHeader = route.equals(EVENTS_ROUTE);
        String id = fromHeader && (traceId == null || traceId.isEmpty()) ? null : traceId;
        if (id != null) {
            TraceIds.requireValid(fromHeader ? TRACE_ID_HEADER : "trace_id", id);
            TraceCorrelation.trace(id);
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
            throw new ProblemException(Problem.of(415, "Unsupported Media Type",
                    "Content-Type must be " + JSON + " (got " + (type == null ? "none" : type) + ")"));
        }
        InputStream body = request.getInputStream();
        Access who = (Access) request.getAttribute(Access.REQUEST_ATTRIBUTE);
        EventIngest.Receipt receipt = ingest.ingest(id, () -> admitted(who, id, reader.read(body)));
        byte[] json = receiptJson(receipt).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType(JSON);
        response.setHeader(TRACE_ID_HEADER, receipt.traceId());
        cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        return HttpServletResponse.SC_ACCEPTED;
    }

    /**
     * The events, if the request's key may send them: every trace they name within its prefixes
     * (all or nothing), and their number within its rate. Checked once the body is read, before
     * anything is stored.
     */
    private EventIngest.Submission admitted(Access who, String traceId, EventIngest.Submission submission) {
        if (who == null) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        Set<String> traces = new HashSet<>();
        if (traceId != null) {
            traces.add(traceId);
        }
        for (TraceEvent e : submission.events()) {
            if (e.traceId() != null) {
                traces.add(e.traceId());
            }
        }
        if (traces.isEmpty()) {
            traces.add(null); // the trace will be minted
        }
        access.checkTraces(who, traces).ifPresent(r -> {
            throw new RefusedException(r);
        });
        access.charge(who, submission.events().size()).ifPresent(r -> {
            throw new RefusedException(r);
        });
        return submission;
    }

    /** {@code {"trace_id": ..., "ids": [...], "duplicates": n}} */
    private static String receiptJson(EventIngest.Receipt receipt) {
        StringWriter out = new StringWriter(40 + receipt.ids().size() * 20);
        try (JsonGenerator g = JsonFactories.generator(out)) {
            g.writeStartObject().write("trace_id", receipt.traceId()).writeStartArray("ids");
            receipt.ids().forEach(g::write);
            g.writeEnd().write("duplicates", receipt.duplicates()).writeEnd();
        }
        return out.toString();
    }

    /** A browser asks before a cross-origin POST of JSON: say what it may send. */
    private void preflight(HttpServletRequest request, HttpServletResponse response, String route) {
        String methods = route.equals(TRACE_EVENTS_ROUTE) ? "GET, POST, OPTIONS" : "POST, OPTIONS";
        cors.preflightHeaders(request.getHeader(Cors.ORIGIN), methods, response::setHeader);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private int problem(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        byte[] body = problem.toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        if (problem.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            // Every 503 here is temporary: say when to come back.
            response.setHeader(Problem.RETRY_AFTER, Long.toString(Problem.retryAfterSeconds(config.retryAfter())));
        }
        cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return problem.status();
    }
}
