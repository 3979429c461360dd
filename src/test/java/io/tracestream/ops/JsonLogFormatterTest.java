package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private final JsonLogFormatter formatter = new JsonLogFormatter("node-1");

    @AfterEach
    void clear() {
        TraceCorrelation.clear();
    }

    private JsonObject format(LogRecord record) {
        String line = formatter.format(record);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one object per line: " + line);
        return Json.createReader(new StringReader(line)).readObject();
    }

    @Test
    void aLineCarriesTimeLevelLoggerMessageInstanceAndTheEventItConcerns() {
        TraceCorrelation.event("abc123", "planner", "task_failed");
        LogRecord record = new LogRecord(Level.WARNING, "Could not count event {0}");
        record.setParameters(new Object[] {"17-0"});
        record.setLoggerName("io.tracestream.ops.WorkflowMetrics");
        JsonObject json = format(record);
        assertEquals("WARNING", json.getString("level"));
        assertEquals("io.tracestream.ops.WorkflowMetrics", json.getString("logger"));
        assertEquals("Could not count event 17-0", json.getString("message"));
        assertEquals("node-1", json.getString("instance"));
        assertEquals("abc123", json.getString("trace_id"));
        assertEquals("planner", json.getString("agent_id"));
        assertEquals("task_failed", json.getString("event_type"));
        assertTrue(json.getString("time").endsWith("Z"));
    }

    @Test
    void quotesAndNewlinesStayInsideTheirStringAndStacksAreOneField() {
        LogRecord record = new LogRecord(Level.SEVERE, "line one\nline \"two\"");
        record.setLoggerName("x");
        record.setThrown(new IllegalStateException("boom"));
        JsonObject json = format(record);
        assertEquals("line one\nline \"two\"", json.getString("message"));
        assertTrue(json.getString("error").contains("IllegalStateException: boom"));
        assertFalse(json.containsKey("trace_id"), "no trace fields outside a trace");
    }

    @Test
    void aLineWrittenWhileASpanIsCurrentCarriesItsTraceAndSpanIds() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String spanId = "00f067aa0ba902b7";
        Span span = Span.wrap(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()));
        LogRecord record = new LogRecord(Level.INFO, "inside a request");
        record.setLoggerName("io.tracestream.http.JsonEventsEndpoint");
        JsonObject json;
        try (Scope scope = span.makeCurrent()) {
            TraceCorrelation.trace("wf-1");
            json = format(record);
        }
        assertEquals(traceId, json.getString("otel_trace_id"));
        assertEquals(spanId, json.getString("otel_span_id"));
        assertEquals("wf-1", json.getString("trace_id"));

        TraceCorrelation.clear();
        JsonObject outside = format(record);
        assertFalse(outside.containsKey("otel_trace_id") || outside.containsKey("otel_span_id"),
                "no OpenTelemetry ids without a current span: " + outside);
    }

    @Test
    void aServerRecordWithoutAMessageOrWithABrokenBundleIsStillOneLineWithAMessage() {
        LogRecord noMessage = new LogRecord(Level.SEVERE, null);
        noMessage.setLoggerName("PayaraMicro");
        noMessage.setThrown(new IllegalStateException("boom"));
        noMessage.setResourceBundle(new java.util.ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
                return new Object[0][];
            }
        });
        JsonObject json = format(noMessage);
        assertEquals("", json.getString("message"));
        assertTrue(json.getString("error").contains("boom"));

        LogRecord badParameters = new LogRecord(Level.INFO, "{0,number,#} ready");
        badParameters.setLoggerName("PayaraMicro");
        badParameters.setParameters(new Object[] {"not a number"});
        assertEquals("{0,number,#} ready", format(badParameters).getString("message"));
    }
}
