package io.tracestream.http;

import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import io.tracestream.auth.Refusal;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ingest.otlp.MappedSpans;
import io.tracestream.ingest.otlp.OtlpDecodingException;
import io.tracestream.ingest.otlp.OtlpEncoding;
import io.tracestream.ingest.otlp.OtlpSpanMapper;
import io.tracestream.ingest.otlp.TraceIdMode;
import io.tracestream.ops.ThrottledWarning;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.store.StoreUnavailableException;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code POST /v1/traces}: the OTLP/HTTP traces receiver, the path every OpenTelemetry exporter
 * appends to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. It undoes gzip, has the OTLP producer adapter
 * ({@link OtlpSpanMapper}) decode the {@code ExportTraceServiceRequest} (protobuf or OTLP/JSON) and
 * map its spans to events, checks the request's key against every trace they go to, and hands them
 * to the ingest service, one append per trace. Answers follow the OTLP/HTTP specification, in
 * the request's own encoding ({@link OtlpAnswers}): 200 once every span not rejected is stored (with {@code
 * partial_success} naming the rejected ones), 400 with a {@code google.rpc.Status} for a body that
 * cannot be decoded (nothing stored), 413 over {@code tracestream.otlp.max-body-bytes}, 415 for
 * another content type or encoding, and 503 with {@code Retry-After} when the store is down, which
 * exporters retry: a span delivered twice is stored once (each event's {@code event_id} names its
 * span and phase).
 */
@WebServlet(name = "otlp-traces", urlPatterns = Route.OTLP, asyncSupported = true)
public class OtlpEndpoint extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(OtlpEndpoint.class.getName());
    /** Every request is refused while the store is away: say so once a minute, not once a request. */
    private static final ThrottledWarning UNAVAILABLE = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    private static final String GZIP = "gzip";
    private static final String IDENTITY = "identity";

    @Inject
    EventIngest ingest;
    @Inject
    TraceStreamConfig config;
    @Inject
    ServerSpans spans;
    @Inject
    AccessControl access;
    @Inject
    OtlpAnswers answers;

    private OtlpSpanMapper mapper;

    @Override
    public void init() {
        mapper = new OtlpSpanMapper(TraceIdMode.fromSetting(config.otlpTraceIdFrom()));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Route route = Route.of(request);
        switch (request.getMethod()) {
            case "POST" -> export(request, response);
            default -> {
                response.setHeader("Allow", route.allow());
                answers.invalid(request, response, OtlpEncoding.JSON, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        request.getMethod() + " " + Route.OTLP + " is not supported; export spans with POST");
            }
        }
    }

    private void export(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try (ServerSpans.Request span = spans.start(request, Route.OTLP)) {
            int status;
            try {
                status = receive(request, response);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Unexpected error receiving OTLP spans", e);
                status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
                answers.send(request, response, OtlpEncoding.JSON, status,
                        OtlpEncoding.JSON.status(OtlpEncoding.UNAVAILABLE, "an unexpected error occurred; see the server log"));
            } finally {
                TraceCorrelation.clear();
            }
            span.status(status);
        }
    }

    /**
     * What was wrong with a gzip body, for the client: the JDK says that a body cut short ends
     * early with an {@link EOFException}, often without a message, and a damaged one with a
     * {@link ZipException} naming the fault.
     */
    static String gzipFailure(IOException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
        return e instanceof EOFException
                ? "the gzip body ends early: it was cut short" + detail
                : "the gzip body is not valid gzip" + detail;
    }

    private int receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OtlpEncoding> found = OtlpEncoding.of(request.getContentType());
        if (found.isEmpty()) {
            return invalid(request, response, OtlpEncoding.JSON, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/x-protobuf or application/json (got "
                            + Optional.ofNullable(request.getContentType()).orElse("none") + ")");
        }
        OtlpEncoding encoding = found.get();
        String contentEncoding = Optional.ofNullable(request.getHeader("Content-Encoding")).orElse(IDENTITY)
                .trim().toLowerCase(Locale.ROOT);
        if (!contentEncoding.equals(GZIP) && !contentEncoding.equals(IDENTITY)) {
            return invalid(request, response, encoding, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding must be gzip or none (got " + contentEncoding + ")");
        }
        byte[] body;
        try (InputStream in = contentEncoding.equals(GZIP) ? new GZIPInputStream(request.getInputStream())
                : request.getInputStream()) {
            // One byte more than allowed tells an oversized body from one exactly at the limit.
            body = in.readNBytes(config.otlpMaxBodyBytes() + 1);
        } catch (ZipException | EOFException e) {
            return invalid(request, response, encoding, HttpServletResponse.SC_BAD_REQUEST, gzipFailure(e));
        }
        if (body.length > config.otlpMaxBodyBytes()) {
            ingest.refused(EventIngest.Unreadable.TOO_LARGE);
            answers.send(request, response, encoding, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, encoding.status(
                    OtlpEncoding.RESOURCE_EXHAUSTED, "the body is larger than " + config.otlpMaxBodyBytes()
                            + " bytes (tracestream.otlp.max-body-bytes); export smaller batches"));
            return HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
        }
        MappedSpans mapped;
        try {
            mapped = mapper.read(encoding, body);
        } catch (OtlpDecodingException e) {
            ingest.refused(EventIngest.Unreadable.INVALID);
            return invalid(request, response, encoding, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
        Optional<Refusal> refused = admitted(request, mapped);
        if (refused.isPresent()) {
            answers.refuse(request, response, encoding, refused.get());
            return refused.get().status();
        }
        try {
            ingest.ingestSpans(mapped.eventsByTrace(), mapped.acceptedSpans(), mapped.rejected().size());
        } catch (StoreUnavailableException e) {
            UNAVAILABLE.warn(() -> "Answering 503 to an OTLP export: " + e.getMessage());
            response.setHeader(Problem.RETRY_AFTER, Long.toString(Problem.retryAfterSeconds(config.retryAfter())));
            answers.send(request, response, encoding, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    encoding.status(OtlpEncoding.UNAVAILABLE, "the event store is unavailable: " + e.getMessage()));
            return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        } catch (InvalidEventsException e) {
            // The mapper checks every event against the same rules; this is a bug, not the client's fault.
            throw new IllegalStateException("mapped events were refused: " + e.getMessage(), e);
        }
        answers.send(request, response, encoding, HttpServletResponse.SC_OK,
                encoding.response(mapped.rejected().size(), mapped.errorMessage()));
        return HttpServletResponse.SC_OK;
    }

    /**
     * Whether the request's key may send these spans: every trace they go to within its prefixes
     * (the request is accepted or refused whole), and their number within its rate.
     */
    private Optional<Refusal> admitted(HttpServletRequest request, MappedSpans mapped) {
        if (!(request.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access who)) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        Optional<Refusal> outside = access.checkTraces(who, mapped.eventsByTrace().keySet());
        return outside.isPresent() ? outside : access.charge(who, mapped.spanCount());
    }

    private int invalid(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, int status,
                        String message) throws IOException {
        answers.invalid(request, response, encoding, status, message);
        return status;
    }
}
