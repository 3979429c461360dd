package io.tracestream.ops;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ties what the current thread does to a workflow's trace: the OpenTelemetry span of the request
 * gets the trace id as an attribute (so an operator jumps from a Trace Stream trace to the same
 * request in Jaeger), and log lines written meanwhile carry it (so a log pipeline joins a
 * workflow's lines to its trace).
 */
public final class TraceCorrelation {

    /** The span attribute naming the workflow's trace id (the X-Trace-ID). */
    public static final String SPAN_ATTRIBUTE = "tracestream.trace_id";

    private static final ThreadLocal<Map<String, String>> FIELDS = ThreadLocal.withInitial(LinkedHashMap::new);

    private TraceCorrelation() {}

    /** The current request or task concerns this trace. */
    public static void trace(String traceId) {
        if (traceId != null) {
            Span.current().setAttribute(SPAN_ATTRIBUTE, traceId);
            FIELDS.get().put("trace_id", traceId);
        }
    }

    /** The current task concerns this event (workflow metrics, per event). */
    public static void event(String traceId, String agentId, String eventType) {
        Map<String, String> fields = FIELDS.get();
        fields.put("trace_id", traceId);
        fields.put("agent_id", agentId);
        fields.put("event_type", eventType);
    }

    public static void clear() {
        FIELDS.remove();
    }

    /** The fields a log line written now should carry, OpenTelemetry's ids included. */
    static Map<String, String> logFields() {
        Map<String, String> fields = new LinkedHashMap<>(FIELDS.get());
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            fields.put("otel_trace_id", span.getTraceId());
            fields.put("otel_span_id", span.getSpanId());
        }
        return fields;
    }
}
