package io.tracestream.domain;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a body of events cannot be accepted; carries every field that was wrong. */
public class InvalidEventsException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidEventsException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidEventsException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
