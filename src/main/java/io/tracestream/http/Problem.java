package io.tracestream.http;

import io.tracestream.auth.Refusal;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * An RFC 9457 problem document: every 4xx and 5xx of the application is one (OTLP's receiver
 * aside, which answers in its own format), the API's and the dashboard's alike, so a client reads
 * each failure the same way wherever it came from. {@code errors} names each field that was wrong.
 *
 * @param type a URI naming the kind of problem ({@link #type})
 * @param detail what was wrong with this request; null to leave it out
 * @param errors each field that was wrong; empty to leave them out
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    static final String RETRY_AFTER = "Retry-After";
    private static final String TYPE_PREFIX = "urn:tracestream:problem:";

    public Problem {
        errors = List.copyOf(errors);
    }

    /** The problem's {@code type} URI for a kind such as {@code trace-not-found}. */
    public static String type(String kind) {
        return TYPE_PREFIX + kind;
    }

    public static Problem invalidEvents(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).toString()
                : errors.size() + " problems, first: " + errors.get(0);
        return new Problem(400, type("invalid-events"), "The events are not valid; nothing was stored", detail, errors);
    }

    public static Problem invalidParameter(String name, String message) {
        return new Problem(400, type("invalid-parameter"), "A request parameter is not valid",
                name + ": " + message, List.of(new FieldError(name, message)));
    }

    public static Problem traceNotFound(String traceId) {
        return new Problem(404, type("trace-not-found"), "No such trace",
                "Trace " + traceId + " has no events (never written, or expired)", List.of());
    }

    public static Problem contentNotFound(String traceId, String eventId) {
        return new Problem(404, type("content-not-found"), "No content stored for this event",
                "Event " + eventId + " of trace " + traceId + " has no stored content (its call sent none, "
                        + "tracestream.content.capture keeps none, or the trace has expired)", List.of());
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, type("unavailable"), "The event store is unavailable; nothing was stored", detail, List.of());
    }

    public static Problem tooManyStreams(int max) {
        return new Problem(503, type("too-many-streams"), "This instance holds its maximum of open streams",
                "At most " + max + " streams per instance; retry, possibly on another instance", List.of());
    }

    /** A problem of a kind of the dashboard's, such as {@code cross-site-request}. */
    public static Problem of(int status, String kind, String title, String detail) {
        return new Problem(status, type(kind), title, detail, List.of());
    }

    public static Problem of(int status, String title, String detail) {
        return of(status, "http-" + status, title, detail);
    }

    /** Why access was refused (401, 403, 429): never whether a trace exists, never a key. */
    public static Problem of(Refusal refusal) {
        return of(refusal.status(), refusal.kind(), refusal.title(), refusal.detail());
    }

    /** A problem for an unexpected failure: the cause goes to the log, not to the client. */
    static Problem internalError() {
        return of(500, "Internal Server Error", "An unexpected error occurred; see the server log");
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(toJson()).build();
    }

    /** A 503 with {@code Retry-After}, in whole seconds, at least one. */
    Response toResponse(Duration retryAfter) {
        return Response.status(status).type(PROBLEM_JSON).header(RETRY_AFTER, retryAfterSeconds(retryAfter))
                .entity(toJson()).build();
    }

    /** {@code Retry-After} counts whole seconds: rounded up, at least one. */
    static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The document. */
    public String toJson() {
        JsonObjectBuilder json = JsonFactories.object()
                .add("type", type)
                .add("title", title)
                .add("status", status);
        if (detail != null) {
            json.add("detail", detail);
        }
        if (!errors.isEmpty()) {
            JsonArrayBuilder list = JsonFactories.array();
            errors.forEach(e -> list.add(JsonFactories.object().add("field", e.field()).add("message", e.message())));
            json.add("errors", list);
        }
        return json.build().toString();
    }
}
