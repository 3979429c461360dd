package io.tracestream.domain;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * The RFC 9457 problem document every error answer carries, the API's and the dashboard's alike,
 * so a client reads each failure the same way wherever it came from.
 */
public final class ProblemJson {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:tracestream:problem:";

    private ProblemJson() {
    }

    /** The problem's {@code type} URI for a kind such as {@code trace-not-found}. */
    public static String type(String kind) {
        return TYPE_PREFIX + kind;
    }

    /**
     * @param detail null to leave it out
     * @param errors each field that was wrong; empty to leave them out
     */
    public static String write(int status, String type, String title, String detail, List<FieldError> errors) {
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
