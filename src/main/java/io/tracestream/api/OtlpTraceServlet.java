package io.tracestream.api;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import io.tracestream.auth.Refusal;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ingest.EventIngest.Submission;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.otlp.MappedSpans;
import io.tracestream.otlp.OtlpDecodingException;
import io.tracestream.otlp.OtlpEncoding;
import io.tracestream.otlp.OtlpSpanMapper;
import io.tracestream.otlp.TraceIdMode;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.ops.ThrottledWarning;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code POST /v1/traces}: the OTLP/HTTP traces receiver, the path every OpenTelemetry exporter
 * appends to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. A thin producer adapter: it undoes gzip, decodes
 * the {@code ExportTraceServiceRequest} (protobuf or OTLP/JSON), has the spans mapped to events and
 * hands each trace's events to the ingest service. Answers follow the OTLP/HTTP specification, in
 * the request's own encoding: 200 once every span not rejected is stored (with {@code
 * partial_success} naming the rejected ones), 400 with a {@code google.rpc.Status} for a body that
 * cannot be decoded (nothing stored), 413 over {@code tracestream.otlp.max-body-bytes}, 415 for
 * another content type or encoding, and 503 with {@code Retry-After} when the store is down, which
 * exporters retry: a span delivered twice is stored once (each event's {@code event_id} names its
 * span and phase).
 */
@WebServlet(name = "otlp-traces", urlPatterns = OtlpTraceServlet.PATH, asyncSupported = true)
public class OtlpTraceServlet extends HttpServlet {

    static final String PATH = "/v1/traces";
    private static final Logger LOG = Logger.getLogger(OtlpTraceServlet.class.getName());
    /** Every request is refused while the store is away: say so once a minute, not once a request. */
    private static final ThrottledWarning UNAVAILABLE = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    private static final String GZIP = "gzip";
    private static final String IDENTITY = "identity";
    private static final String ALLOWED_METHODS = "POST, OPTIONS";

    @Inject
    EventIngest ingest;
    @Inject
    TraceStreamConfig config;
    @Inject
    ServerSpans spans;
    @Inject
    ServiceMetrics metrics;
    @Inject
    Cors cors;
    @Inject
    AccessControl access;

    private OtlpSpanMapper mapper;

    @Override
    public void init() {
        mapper = new OtlpSpanMapper(TraceIdMode.fromSetting(config.otlpTraceIdFrom()));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "POST" -> export(request, response);
            case "OPTIONS" -> {
                cors.preflightHeaders(request.getHeader(Cors.ORIGIN), ALLOWED_METHODS, response::setHeader);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            default -> {
                response.setHeader("Allow", ALLOWED_METHODS);
                answer(request, response, OtlpEncoding.JSON, HttpServletResponse.SC_METHOD_NOT_ALLOWED, OtlpEncoding.JSON
                        .status(OtlpEncoding.INVALID_ARGUMENT, request.getMethod() + " " + PATH + " is not supported; export spans with POST"));
            }
        }
    }

    private void export(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (ServerSpans.Request span = spans.start(request, PATH)) {
            int status;
            try {
                status = receive(request, response);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected error receiving OTLP spans", e);
                status = answer(request, response, OtlpEncoding.JSON, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                        OtlpEncoding.JSON.status(OtlpEncoding.UNAVAILABLE, "an unexpected error occurred; see the server log"));
            } finally {
                TraceCorrelation.clear();
            }
            span.status(status);
        }
    }

    private int receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OtlpEncoding> found = OtlpEncoding.of(request.getContentType());
        if (found.isEmpty()) {
            return refuse(request, response, OtlpEncoding.JSON, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/x-protobuf or application/json (got "
                            + Optional.ofNullable(request.getContentType()).orElse("none") + ")");
        }
        OtlpEncoding encoding = found.get();
        String contentEncoding = Optional.ofNullable(request.getHeader("Content-Encoding")).orElse(IDENTITY)
                .trim().toLowerCase(Locale.ROOT);
        if (!contentEncoding.equals(GZIP) && !contentEncoding.equals(IDENTITY)) {
            return refuse(request, response, encoding, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding must be gzip or none (got " + contentEncoding + ")");
        }
        byte[] body;
        try (InputStream in = contentEncoding.equals(GZIP) ? new GZIPInputStream(request.getInputStream())
                : request.getInputStream()) {
            // One byte more than allowed tells an oversized body from one exactly at the limit.
            body = in.readNBytes(config.otlpMaxBodyBytes() + 1);
        } catch (ZipException | java.io.EOFException e) {
            return refuse(request, response, encoding, HttpServletResponse.SC_BAD_REQUEST, "the gzip body cannot be read: " + e.getMessage());
        }
        if (body.length > config.otlpMaxBodyBytes()) {
            metrics.rejected("too_large", 1);
            return answer(request, response, encoding, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, encoding.status(
                    OtlpEncoding.RESOURCE_EXHAUSTED, "the body is larger than " + config.otlpMaxBodyBytes()
                            + " bytes (tracestream.otlp.max-body-bytes); export smaller batches"));
        }
        ExportTraceServiceRequest export;
        try {
            export = encoding.decode(body);
        } catch (OtlpDecodingException e) {
            metrics.rejected("invalid", 1);
            return refuse(request, response, encoding, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
        MappedSpans mapped = mapper.map(export);
        Optional<Refusal> refused = admitted((Access) request.getAttribute(Access.REQUEST_ATTRIBUTE), mapped);
        if (refused.isPresent()) {
            cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
            Refusals.otlp(request, response, refused.get(), encoding);
            return refused.get().status();
        }
        try {
            store(mapped);
        } catch (StoreUnavailableException e) {
            UNAVAILABLE.warn(() -> "Answering 503 to an OTLP export: " + e.getMessage());
            response.setHeader(Problem.RETRY_AFTER, Long.toString(Problem.retryAfterSeconds(config.retryAfter())));
            return answer(request, response, encoding, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    encoding.status(OtlpEncoding.UNAVAILABLE, "the event store is unavailable: " + e.getMessage()));
        } catch (InvalidEventsException e) {
            // The mapper checks every event against the same rules; this is a bug, not the client's fault.
            throw new IllegalStateException("mapped events were refused: " + e.getMessage(), e);
        }
        metrics.otlpSpans(mapped.acceptedSpans(), mapped.rejected().size());
        return answer(request, response, encoding, HttpServletResponse.SC_OK,
                encoding.response(mapped.rejected().size(), mapped.errorMessage()));
    }

    /**
     * Whether the request's key may send these spans: every trace they go to within its prefixes
     * (the request is accepted or refused whole), and their number within its rate.
     */
    private Optional<Refusal> admitted(Access who, MappedSpans mapped) {
        if (who == null) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        Optional<Refusal> outside = access.checkTraces(who, mapped.eventsByTrace().keySet());
        return outside.isPresent() ? outside : access.charge(who, mapped.spanCount());
    }

    /**
     * Each trace's events through the ingest service, at most {@code max-batch} to a call so one
     * huge export does not hold the store in one step. A failure part way answers 503: the exporter
     * sends the whole export again, and what was stored already is recognised by its event ids.
     */
    private void store(MappedSpans mapped) {
        int chunk = config.maxBatch();
        for (Map.Entry<String, List<TraceEvent>> trace : mapped.eventsByTrace().entrySet()) {
            List<TraceEvent> events = trace.getValue();
            for (int from = 0; from < events.size(); from += chunk) {
                List<TraceEvent> part = events.subList(from, Math.min(events.size(), from + chunk));
                ingest.ingest(trace.getKey(), () -> new Submission(part, false));
            }
        }
    }

    private int refuse(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, int status,
                       String message) throws IOException {
        return answer(request, response, encoding, status, encoding.status(OtlpEncoding.INVALID_ARGUMENT, message));
    }

    private int answer(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, int status,
                       byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(encoding.mediaType());
        cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        return status;
    }
}
