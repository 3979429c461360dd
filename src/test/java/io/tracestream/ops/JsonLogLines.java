package io.tracestream.ops;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Log lines exactly as a server in json mode writes them (its {@link JsonLogFormatter}), for tests
 * outside this package that check what reads them: the log collector and Grafana of docker/.
 */
public final class JsonLogLines {

    private JsonLogLines() {}

    /** A warning about the workflow {@code traceId}, written while serving a request of OpenTelemetry trace {@code otelTraceId}. */
    public static String warningAbout(String traceId, String otelTraceId) {
        SpanContext request = SpanContext.create(otelTraceId, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        TraceCorrelation.trace(traceId);
        try (Scope ignored = Span.wrap(request).makeCurrent()) {
            LogRecord record = new LogRecord(Level.WARNING, "Answering 503: store unavailable");
            record.setLoggerName("io.tracestream.http.JsonEventsEndpoint");
            return new JsonLogFormatter("trace-stream-1").format(record);
        } finally {
            TraceCorrelation.clear();
        }
    }
}
