package io.tracestream.domain;

/** A body or batch over the configured limits: invalid like any other, and counted apart in the metrics. */
public class EventsTooLargeException extends InvalidEventsException {

    public EventsTooLargeException(String field, String message) {
        super(field, message);
    }
}
