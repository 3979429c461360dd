package io.tracestream.http;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What lets a dashboard on another origin use the API: the CORS headers of every API response
 * and of a preflight, in one place whether JAX-RS, a servlet or a filter answers. Only the origins
 * of {@code tracestream.http.allow-origins} are answered, each with its own origin echoed (never
 * {@code *}): any other web page a user opens must not read the traces their browser can reach.
 */
@ApplicationScoped
public class Cors {

    /** Response headers a dashboard on another origin may read. */
    static final String EXPOSED = "X-Trace-ID, Retry-After, WWW-Authenticate, " + SseResponseHeaders.REPLAY_FROM;
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Trace-ID, "
            + "Last-Event-ID, traceparent, tracestate";
    /** How long a browser may reuse a preflight's answer, in seconds. */
    private static final String PREFLIGHT_MAX_AGE = "600";
    static final String ORIGIN = "Origin";

    @Inject
    TraceStreamConfig config;

    private Set<String> origins;

    @PostConstruct
    void init() {
        origins = Set.copyOf(config.allowOrigins());
        config.retiredAllowOrigin().ifPresent(old -> java.util.logging.Logger.getLogger(Cors.class.getName()).warning(
                "tracestream.http.allow-origin is no longer read (it allowed any origin with *); list the origins "
                        + "that may call the API in tracestream.http.allow-origins"));
    }

    /** For tests. */
    static Cors of(Set<String> origins) {
        Cors cors = new Cors();
        cors.origins = Set.copyOf(origins);
        return cors;
    }

    /**
     * The headers of any API response to a request from {@code origin} (its {@code Origin} header,
     * null without one), given to {@code header} (name, value).
     */
    void responseHeaders(String origin, BiConsumer<String, String> header) {
        if (origins.isEmpty()) {
            return;
        }
        // The answer depends on the Origin: a cache must not hand one origin's answer to another.
        header.accept("Vary", ORIGIN);
        if (allowed(origin)) {
            header.accept("Access-Control-Allow-Origin", origin);
            header.accept("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /** The headers answering a preflight from {@code origin} for a path that allows {@code methods}. */
    void preflightHeaders(String origin, String methods, BiConsumer<String, String> header) {
        header.accept("Allow", methods);
        if (allowed(origin)) {
            header.accept("Access-Control-Allow-Methods", methods);
            header.accept("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            header.accept("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
        }
        responseHeaders(origin, header);
    }

    boolean allowed(String origin) {
        return origin != null && origins.contains(origin);
    }
}
