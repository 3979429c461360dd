package io.tracestream.http;

import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import io.tracestream.auth.Refusal;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ingest.json.EventBodyReader;
import io.tracestream.ops.ThrottledWarning;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.store.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where producers send events as JSON: {@code POST /traces/{trace_id}/events} and {@code POST
 * /events} (trace id from {@code X-Trace-ID}, else the body, else minted). The body is read by the
 * JSON producer adapter ({@link EventBodyReader}); the request's key is checked against every trace
 * the events name and charged for their number; only then are they handed to the ingest service.
 * A {@code 202} means every event of the request is stored; every failure is a problem document
 * and stores nothing.
 *
 * <p>Why a servlet filter rather than a JAX-RS resource: ingest is the one path hit once per
 * event, and on Payara Micro the JAX-RS machinery around a request (routing, scopes, providers,
 * listeners) cost more CPU than everything Trace Stream does to store the event; measured in
 * docs/benchmarks.md. Every other request goes on to JAX-RS. The two operations are described
 * in {@code META-INF/openapi.yaml}, merged into {@code /openapi}.
 */
public class JsonEventsEndpoint extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(JsonEventsEndpoint.class.getName());
    /** Every request is refused while the store is away: say so once a minute, not once a request. */
    private static final ThrottledWarning UNAVAILABLE = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
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
    @Inject
    Problems problems;

    private EventBodyReader reader;

    @Override
    public void init() {
        reader = new EventBodyReader(config.maxBodyBytes(), config.maxBatch(), config.maxJsonDepth());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Route route = Route.of(request);
        boolean events = route.template().equals(Route.EVENTS);
        if (!events && !route.template().equals(Route.TRACE_EVENTS)) {
            chain.doFilter(request, response);
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> post(request, response, route, events ? request.getHeader(TRACE_ID_HEADER) : route.traceId());
            default -> {
                if (!events) {
                    chain.doFilter(request, response); // GET reads the history (JAX-RS)
                } else {
                    response.setHeader("Allow", route.allow());
                    problems.send(request, response, Problem.of(405, "Method Not Allowed", request.getMethod() + " "
                            + Route.EVENTS + " is not supported; send events with POST"));
                }
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response, Route route, String traceId)
            throws IOException {
        try (ServerSpans.Request span = spans.start(request, route.template())) {
            int status;
            try {
                status = store(request, response, route, traceId);
            } catch (ProblemException e) {
                status = answer(request, response, e.problem());
            } catch (InvalidEventsException e) {
                status = answer(request, response, Problem.invalidEvents(e.errors()));
            } catch (StoreUnavailableException e) {
                UNAVAILABLE.warn(() -> "Answering 503: " + e.getMessage());
                status = answer(request, response, Problem.unavailable(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected error storing events", e);
                status = answer(request, response, Problem.internalError());
            } finally {
                TraceCorrelation.clear(); // request threads are pooled: the next request starts clean
            }
            span.status(status);
        }
    }

    /** Reads the events, checks them against the request's key, and has them stored. */
    private int store(HttpServletRequest request, HttpServletResponse response, Route route, String traceId)
            throws IOException {
        boolean fromHeader = route.template().equals(Route.EVENTS);
        String id = fromHeader && (traceId == null || traceId.isEmpty()) ? null : traceId;
        if (id != null) {
            TraceIds.requireValid(fromHeader ? TRACE_ID_HEADER : "trace_id", id);
            TraceCorrelation.trace(id);
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new ProblemException(Problem.of(415, "Unsupported Media Type",
                    "Content-Type must be " + JSON + " (got " + (type == null ? "none" : type) + ")"));
        }
        EventIngest.Submission submission;
        try {
            submission = reader.read(request.getInputStream());
        } catch (InvalidEventsException e) {
            ingest.refused(e);
            throw e;
        }
        Optional<Refusal> refused = admitted(request, id, submission);
        if (refused.isPresent()) {
            problems.refuse(request, response, refused.get());
            return refused.get().status();
        }
        EventIngest.Receipt receipt = ingest.ingest(id, submission);
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
     * Whether the request's key may send these events: every trace they name within its prefixes
     * (all or nothing), and their number within its rate.
     */
    private Optional<Refusal> admitted(HttpServletRequest request, String traceId, EventIngest.Submission submission) {
        if (!(request.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access who)) {
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
        Optional<Refusal> outside = access.checkTraces(who, traces);
        return outside.isPresent() ? outside : access.charge(who, submission.events().size());
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

    private int answer(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        problems.send(request, response, problem);
        return problem.status();
    }
}
