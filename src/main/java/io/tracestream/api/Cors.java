package io.tracestream.api;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;

/**
 * What lets a dashboard on another origin use the API: the CORS headers of every API response
 * and of a preflight, in one place whether JAX-RS or the ingest filter answers.
 */
@ApplicationScoped
public class Cors {

    /** Response headers a dashboard on another origin may read. */
    static final String EXPOSED = "X-Trace-ID, Retry-After, " + SseResponseHeaders.REPLAY_FROM;
    private static final String ALLOWED_HEADERS = "Content-Type, X-Trace-ID, traceparent, tracestate";
    /** How long a browser may reuse a preflight's answer, in seconds. */
    private static final String PREFLIGHT_MAX_AGE = "600";

    @Inject
    TraceStreamConfig config;

    private String origin;

    @PostConstruct
    void init() {
        origin = config.allowOrigin();
    }

    /** The headers of any API response, given to {@code header} (name, value). */
    void responseHeaders(BiConsumer<String, String> header) {
        if (!origin.isEmpty()) {
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /** The headers answering a preflight for a path that allows {@code methods}. */
    void preflightHeaders(String methods, BiConsumer<String, String> header) {
        header.accept("Allow", methods);
        if (!origin.isEmpty()) {
            header.accept("Access-Control-Allow-Methods", methods);
            header.accept("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            header.accept("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
        }
        responseHeaders(header);
    }
}
