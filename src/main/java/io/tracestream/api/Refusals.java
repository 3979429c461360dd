package io.tracestream.api;

import io.tracestream.auth.Refusal;
import io.tracestream.otlp.OtlpEncoding;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes an access refusal (401, 403, 429) as the path answers errors: a problem document, or on
 * the OTLP receiver a {@code google.rpc.Status} in the request's own encoding, as exporters expect.
 */
final class Refusals {

    private Refusals() {}

    /** A header every browser sends (Chromium, Firefox, Safari) and other clients do not. */
    private static final String FETCH_MODE = "Sec-Fetch-Mode";

    /**
     * Headers every refusal carries: the challenges of a 401, the wait of a 429. A browser is
     * challenged for a bearer token only: a Basic challenge makes it ask for a password in a dialog
     * of its own, which holds the dashboard's session check and stream reconnect (and shows an error
     * page for a form) instead of letting the page send the user to sign in.
     */
    static void headers(HttpServletRequest request, Refusal refusal, BiConsumer<String, String> add) {
        if (refusal.status() == Refusal.UNAUTHORIZED) {
            boolean browser = request.getHeader(FETCH_MODE) != null;
            (browser ? List.of(Refusal.BEARER_CHALLENGE) : Refusal.CHALLENGES)
                    .forEach(c -> add.accept("WWW-Authenticate", c));
        }
        if (refusal.retryAfterSeconds() > 0) {
            add.accept(Problem.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
    }

    static void problem(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        write(request, response, refusal, Problem.MEDIA_TYPE, refusal.problemJson().getBytes(StandardCharsets.UTF_8));
    }

    static void otlp(HttpServletRequest request, HttpServletResponse response, Refusal refusal, OtlpEncoding encoding)
            throws IOException {
        int code = switch (refusal.status()) {
            case Refusal.UNAUTHORIZED -> OtlpEncoding.UNAUTHENTICATED;
            case Refusal.TOO_MANY_REQUESTS -> OtlpEncoding.RESOURCE_EXHAUSTED;
            default -> OtlpEncoding.PERMISSION_DENIED;
        };
        write(request, response, refusal, encoding.mediaType(), encoding.status(code, refusal.detail()));
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, Refusal refusal, String type,
                              byte[] body) throws IOException {
        response.setStatus(refusal.status());
        headers(request, refusal, response::addHeader);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
