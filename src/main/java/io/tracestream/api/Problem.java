package io.tracestream.api;

import io.tracestream.domain.FieldError;
import io.tracestream.domain.ProblemJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * An RFC 9457 problem document: every 4xx and 5xx of the API is one, so a client reads each
 * failure the same way. {@code errors} names each field that was wrong.
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = ProblemJson.MEDIA_TYPE;
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    public static Problem invalidEvents(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).toString()
                : errors.size() + " problems, first: " + errors.get(0);
        return new Problem(400, ProblemJson.type("invalid-events"), "The events are not valid; nothing was stored",
                detail, errors);
    }

    public static Problem invalidParameter(String name, String message) {
        return new Problem(400, ProblemJson.type("invalid-parameter"), "A request parameter is not valid",
                name + ": " + message, List.of(new FieldError(name, message)));
    }

    public static Problem traceNotFound(String traceId) {
        return new Problem(404, ProblemJson.type("trace-not-found"), "No such trace",
                "Trace " + traceId + " has no events (never written, or expired)", List.of());
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, ProblemJson.type("unavailable"), "The event store is unavailable; nothing was stored",
                detail, List.of());
    }

    public static Problem tooManyStreams(int max) {
        return new Problem(503, ProblemJson.type("too-many-streams"), "This instance holds its maximum of open streams",
                "At most " + max + " streams per instance; retry, possibly on another instance", List.of());
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, ProblemJson.type("http-") + status, title, detail, List.of());
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(toJson()).build();
    }

    /** A 503 with {@code Retry-After}, in whole seconds, at least one. */
    public Response toResponse(Duration retryAfter) {
        return Response.status(status).type(PROBLEM_JSON).header(RETRY_AFTER, retryAfterSeconds(retryAfter))
                .entity(toJson()).build();
    }

    static final String RETRY_AFTER = "Retry-After";

    /** {@code Retry-After} counts whole seconds: rounded up, at least one. */
    static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** A problem for an unexpected failure: the cause goes to the log, not to the client. */
    static Problem internalError() {
        return of(500, "Internal Server Error", "An unexpected error occurred; see the server log");
    }

    String toJson() {
        return ProblemJson.write(status, type, title, detail, errors);
    }
}
