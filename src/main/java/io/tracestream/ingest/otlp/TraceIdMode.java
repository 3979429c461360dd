package io.tracestream.ingest.otlp;

import java.util.Locale;

/**
 * Which Trace Stream trace a span goes to: setting {@code tracestream.otlp.trace-id-from}.
 */
public enum TraceIdMode {
    /** The OpenTelemetry trace id, as 32 lowercase hex characters: one trace per OTel trace. */
    TRACE,
    /**
     * The span's {@code gen_ai.conversation.id}, else its {@code session.id} (its own, else its
     * nearest ancestor's in the same request): one trace per conversation, across the OTel traces
     * of its turns. Spans without one keep their OTel trace id.
     */
    CONVERSATION;

    /** The mode named by a setting value ({@code trace} or {@code conversation}, any case). */
    public static TraceIdMode fromSetting(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "trace" -> TRACE;
            case "conversation" -> CONVERSATION;
            default -> throw new IllegalArgumentException(
                    "tracestream.otlp.trace-id-from must be trace or conversation, not \"" + value + "\"");
        };
    }
}
