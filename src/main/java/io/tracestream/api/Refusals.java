package io.tracestream.api;

import io.tracestream.auth.Refusal;
import io.tracestream.otlp.OtlpEncoding;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Writes an access refusal (401, 403, 429) as the path answers errors: a problem document, or on
 * the OTLP receiver a {@code google.rpc.Status} in the request's own encoding, as exporters expect.
 */
final class Refusals {

    private Refusals() {}

    /** Headers every refusal carries: the challenges of a 401, the wait of a 429. */
    static void headers(Refusal refusal, BiConsumer<String, String> add) {
        if (refusal.status() == Refusal.UNAUTHORIZED) {
            Refusal.CHALLENGES.forEach(c -> add.accept("WWW-Authenticate", c));
        }
        if (refusal.retryAfterSeconds() > 0) {
            add.accept(Problem.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
        }
    }

    static void problem(HttpServletResponse response, Refusal refusal) throws IOException {
        write(response, refusal, Problem.MEDIA_TYPE, refusal.problemJson().getBytes(StandardCharsets.UTF_8));
    }

    static void otlp(HttpServletResponse response, Refusal refusal, OtlpEncoding encoding) throws IOException {
        int code = switch (refusal.status()) {
            case Refusal.UNAUTHORIZED -> OtlpEncoding.UNAUTHENTICATED;
            case Refusal.TOO_MANY_REQUESTS -> OtlpEncoding.RESOURCE_EXHAUSTED;
            default -> OtlpEncoding.PERMISSION_DENIED;
        };
        write(response, refusal, encoding.mediaType(), encoding.status(code, refusal.detail()));
    }

    private static void write(HttpServletResponse response, Refusal refusal, String type, byte[] body) throws IOException {
        response.setStatus(refusal.status());
        headers(refusal, response::addHeader);
        response.setContentType(type);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
