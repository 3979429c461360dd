package io.tracestream.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One thing that happened in a workflow: an agent was called, a task started or failed, an LLM or
 * tool was used, work was handed from one agent to another.
 *
 * <p>{@code id} is the event's position in its trace, assigned by the store; it is {@code null}
 * until the event is stored. Every other field is the producer's. {@code attributes} values are
 * scalars: {@link String}, {@link Boolean} or {@link BigDecimal}. {@code content} is what a model
 * or tool call said, or {@code null} (see {@link CallContent}).
 */
public record TraceEvent(
        String id,
        String traceId,
        String eventType,
        String agentId,
        Instant timestamp,
        String spanId,
        String parentSpanId,
        String taskId,
        String status,
        Long durationMs,
        EventError error,
        String model,
        Long inputTokens,
        Long outputTokens,
        BigDecimal costUsd,
        String eventId,
        Map<String, Object> attributes,
        CallContent content) {

    public TraceEvent {
        attributes = attributes == null ? Map.of() : Attributes.frozen(attributes);
    }

    /** An event that says nothing of what was said (most events). */
    public TraceEvent(String id, String traceId, String eventType, String agentId, Instant timestamp, String spanId,
                      String parentSpanId, String taskId, String status, Long durationMs, EventError error, String model,
                      Long inputTokens, Long outputTokens, BigDecimal costUsd, String eventId, Map<String, Object> attributes) {
        this(id, traceId, eventType, agentId, timestamp, spanId, parentSpanId, taskId, status, durationMs, error, model,
                inputTokens, outputTokens, costUsd, eventId, attributes, null);
    }

    /**
     * An event's attributes, copied once: in the producer's order, so that an event reads back as it
     * was sent, and never changed, so that {@code with...} copies of the event share them. (Every
     * event is copied two or three times on its way in; copying its attributes each time was a few
     * percent of an OTLP export's CPU.)
     */
    private static final class Attributes extends java.util.AbstractMap<String, Object> {
        private final Map<String, Object> view;

        private Attributes(Map<String, Object> copy) {
            this.view = java.util.Collections.unmodifiableMap(copy);
        }

        static Map<String, Object> frozen(Map<String, Object> attributes) {
            if (attributes.isEmpty()) {
                return Map.of();
            }
            return attributes instanceof Attributes ? attributes : new Attributes(new java.util.LinkedHashMap<>(attributes));
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Object get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }

    /**
     * What went wrong, as the producer reported it: the error's type (its class), its message, and
     * where it was thrown, kept apart so that a message reads as a message.
     *
     * @param stacktrace the stack trace as text, or {@code null}
     */
    public record EventError(String type, String message, String stacktrace) {

        public EventError(String type, String message) {
            this(type, message, null);
        }
    }

    public TraceEvent withId(String newId) {
        return new TraceEvent(newId, traceId, eventType, agentId, timestamp, spanId, parentSpanId,
                taskId, status, durationMs, error, model, inputTokens, outputTokens, costUsd, eventId,
                attributes, content);
    }

    public TraceEvent withTraceId(String newTraceId) {
        return new TraceEvent(id, newTraceId, eventType, agentId, timestamp, spanId, parentSpanId,
                taskId, status, durationMs, error, model, inputTokens, outputTokens, costUsd, eventId,
                attributes, content);
    }

    public TraceEvent withTimestamp(Instant newTimestamp) {
        return new TraceEvent(id, traceId, eventType, agentId, newTimestamp, spanId, parentSpanId,
                taskId, status, durationMs, error, model, inputTokens, outputTokens, costUsd, eventId,
                attributes, content);
    }

    /** This event with what it said replaced: the policy's kept content, or {@code null}. */
    public TraceEvent withContent(CallContent newContent) {
        return new TraceEvent(id, traceId, eventType, agentId, timestamp, spanId, parentSpanId, taskId, status,
                durationMs, error, model, inputTokens, outputTokens, costUsd, eventId, attributes, newContent);
    }

    /** This event with other attributes and error (redacted copies of its own). */
    public TraceEvent withTexts(Map<String, Object> newAttributes, EventError newError) {
        return new TraceEvent(id, traceId, eventType, agentId, timestamp, spanId, parentSpanId, taskId, status,
                durationMs, newError, model, inputTokens, outputTokens, costUsd, eventId, newAttributes, content);
    }

    /** True for the event types that end a workflow: nothing is expected after them. */
    public boolean endsWorkflow() {
        return EventType.endsWorkflow(eventType);
    }
}
