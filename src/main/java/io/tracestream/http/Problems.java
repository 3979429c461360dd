package io.tracestream.http;

import io.tracestream.auth.Refusal;
import io.tracestream.config.TraceStreamConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes every problem answer that does not go through JAX-RS (whose exception mappers answer
 * {@link Problem#toResponse}): the status, {@code application/problem+json}, the headers a client
 * needs to act (CORS, {@code Retry-After} on a 503 or 429, the challenges of a 401) and the document.
 */
@ApplicationScoped
public class Problems {

    /** A header every browser sends (Chromium, Firefox, Safari) and other clients do not. */
    private static final String FETCH_MODE = "Sec-Fetch-Mode";

    @Inject
    TraceStreamConfig config;
    @Inject
    Cors cors;

    /** For tests. */
    static Problems of(TraceStreamConfig config, Cors cors) {
        Problems problems = new Problems();
        problems.config = config;
        problems.cors = cors;
        return problems;
    }

    /** Answers the request with {@code problem}; every 503 says when to come back. */
    public void send(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        if (problem.status() == HttpServletResponse.SC_SERVICE_UNAVAILABLE) {
            response.setHeader(Problem.RETRY_AFTER, Long.toString(Problem.retryAfterSeconds(config.retryAfter())));
        }
        write(request, response, problem.status(), Problem.MEDIA_TYPE, problem.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** Answers an access refusal (401, 403, 429) as a problem document. */
    public void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        refusalHeaders(request, refusal, response);
        write(request, response, refusal.status(), Problem.MEDIA_TYPE,
                Problem.of(refusal).toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Headers every refusal carries, in whatever format it is answered: the challenges of a 401,
     * the wait of a 429. A browser is challenged for a bearer token only: a Basic challenge makes
     * it ask for a password in a dialog of its own, which holds the dashboard's session check and
     * stream reconnect (and shows an error page for a form) instead of letting the page send the
     * user to sign in.
     */
    static void refusalHeaders(HttpServletRequest request, Refusal refusal, HttpServletResponse response) {
        if (refusal.status() == Refusal.UNAUTHORIZED) {
            boolean browser = request.getHeader(FETCH_MODE) != null;
            (browser ? List.of(Refusal.BEARER_CHALLENGE) : Refusal.CHALLENGES)
                    .forEach(c -> response.addHeader("WWW-Authenticate", c));
        }
        if (refusal.retryAfterSeconds() > 0) {
            response.setHeader(Problem.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
    }

    /** The status, the body in {@code mediaType} and the CORS headers: how every error of the edge ends. */
    void write(HttpServletRequest request, HttpServletResponse response, int status, String mediaType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(mediaType);
        response.setHeader("Cache-Control", "no-store");
        cors.responseHeaders(request.getHeader(Cors.ORIGIN), response::setHeader);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
