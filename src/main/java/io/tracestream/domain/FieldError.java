package io.tracestream.domain;

/**
 * One thing wrong with a request body. {@code field} is a path into the body, such as
 * {@code agent_id}, {@code [3].error.message} or {@code attributes.retries}.
 */
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
