package io.tracestream.http;

import io.tracestream.auth.Refusal;
import io.tracestream.ingest.otlp.OtlpEncoding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes every answer of the OTLP receiver, as OTLP/HTTP specifies: in the request's own encoding
 * (protobuf or JSON), a {@code google.rpc.Status} for an error, what exporters read.
 */
@ApplicationScoped
public class OtlpAnswers {

    @Inject
    Problems problems;

    /** A body that cannot be taken: {@code INVALID_ARGUMENT} with the reason. */
    void invalid(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, int status,
                 String message) throws IOException {
        send(request, response, encoding, status, encoding.status(OtlpEncoding.INVALID_ARGUMENT, message));
    }

    /** An access refusal, with the same headers as anywhere else. */
    void refuse(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, Refusal refusal)
            throws IOException {
        int code = switch (refusal.status()) {
            case Refusal.UNAUTHORIZED -> OtlpEncoding.UNAUTHENTICATED;
            case Refusal.TOO_MANY_REQUESTS -> OtlpEncoding.RESOURCE_EXHAUSTED;
            default -> OtlpEncoding.PERMISSION_DENIED;
        };
        Problems.refusalHeaders(request, refusal, response);
        send(request, response, encoding, refusal.status(), encoding.status(code, refusal.detail()));
    }

    /** Any answer: {@code body} is an encoded {@code ExportTraceServiceResponse} or {@code Status}. */
    void send(HttpServletRequest request, HttpServletResponse response, OtlpEncoding encoding, int status, byte[] body)
            throws IOException {
        problems.write(request, response, status, encoding.mediaType(), body);
    }

    /** The encoding the request's answer is written in: its own, else JSON. */
    static OtlpEncoding of(HttpServletRequest request) {
        return OtlpEncoding.of(request.getContentType()).orElse(OtlpEncoding.JSON);
    }
}
