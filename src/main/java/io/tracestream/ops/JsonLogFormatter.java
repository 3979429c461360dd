package io.tracestream.ops;

import io.tracestream.domain.TraceEventJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time, level, logger, message, instance}, and {@code trace_id},
 * {@code agent_id}, {@code event_type}, {@code otel_trace_id}, {@code otel_span_id} where they
 * apply, plus {@code error} with the stack trace. Messages never hold event payloads: Trace Stream
 * logs ids and counts, because payloads may hold prompts.
 */
final class JsonLogFormatter extends Formatter {

    private final String instance;

    JsonLogFormatter(String instance) {
        this.instance = instance;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(256).append('{');
        field(line, "time", Instant.ofEpochMilli(record.getMillis()).toString(), true);
        field(line, "level", record.getLevel().getName(), false);
        field(line, "logger", record.getLoggerName(), false);
        field(line, "message", message(record), false);
        field(line, "instance", instance, false);
        for (Map.Entry<String, String> f : TraceCorrelation.logFields().entrySet()) {
            field(line, f.getKey(), f.getValue(), false);
        }
        if (record.getThrown() != null) {
            StringWriter stack = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(stack));
            field(line, "error", stack.toString(), false);
        }
        return line.append("}\n").toString();
    }

    /**
     * The record's message with its parameters, localized, and never null: the server's records come
     * in every shape (a message key of a bundle it lacks, no message but an exception), and a line
     * must stay one JSON object whatever its record, or a log pipeline would get the handler's error.
     */
    private String message(LogRecord record) {
        try {
            String message = formatMessage(record);
            return message == null ? "" : message;
        } catch (RuntimeException e) {
            return record.getMessage() == null ? "" : record.getMessage();
        }
    }

    private static void field(StringBuilder line, String name, String value, boolean first) {
        if (value == null) {
            return;
        }
        if (!first) {
            line.append(',');
        }
        line.append('"').append(name).append("\":");
        TraceEventJson.quote(line, value);
    }
}
