package io.tracestream.ingest.otlp;

/**
 * A span that was not turned into events, and why; the receiver counts these in the answer's
 * {@code partial_success.rejected_spans}. Ids are lowercase hex as received (shortened when
 * absurdly long), possibly empty.
 */
public record RejectedSpan(String otelTraceId, String spanId, String reason) {

    @Override
    public String toString() {
        return "span " + (spanId.isEmpty() ? "(no id)" : spanId) + " of trace "
                + (otelTraceId.isEmpty() ? "(no id)" : otelTraceId) + ": " + reason;
    }
}
