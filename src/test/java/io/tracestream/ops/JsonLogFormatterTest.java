package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
