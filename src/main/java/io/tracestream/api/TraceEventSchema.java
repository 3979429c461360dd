package io.tracestream.api;

import java.math.BigDecimal;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The TraceEvent JSON in the OpenAPI document. Documentation only: the wire format is read and
 * written by {@link io.tracestream.domain.TraceEventJson}.
 */
@Schema(name = "TraceEvent", description = "One event of a workflow trace. Fields not listed are rejected; "
        + "custom data belongs in attributes.", requiredProperties = {"event_type", "agent_id"})
public class TraceEventSchema {
    @Schema(description = "The event's position in its trace, assigned by the server; the SSE id. Ignored on input.",
            readOnly = true, example = "1732262445123-0")
    public String id;
    @Schema(name = "trace_id", description = "The trace (workflow run). Required on POST /events unless "
            + "X-Trace-ID is sent; on POST /traces/{trace_id}/events it may be left out and must match if present.",
            pattern = "^[A-Za-z0-9._:-]{1,128}$", example = "abc123def456")
    public String traceId;
    @Schema(name = "event_type", description = "workflow_started, workflow_completed, workflow_failed, agent_called, "
            + "task_started, task_completed, task_failed, agent_transition, llm_call, tool_call, message; "
            + "other types are stored and streamed as they are", example = "agent_called", maxLength = 256)
    public String eventType;
    @Schema(name = "agent_id", description = "The agent the event is about", example = "dependent-service", maxLength = 256)
    public String agentId;
    @Schema(description = "ISO-8601 date-time; filled by the server (UTC) when absent",
            format = "date-time", example = "2025-01-20T10:30:45Z")
    public String timestamp;
    @Schema(name = "span_id", description = "This unit of work; pairs task_started with task_completed/task_failed")
    public String spanId;
    @Schema(name = "parent_span_id", description = "The span that caused this one: forms the dependency chain")
    public String parentSpanId;
    @Schema(name = "task_id", description = "The task, when spans are not used")
    public String taskId;
    @Schema(description = "Free-form status, such as ok or error")
    public String status;
    @Schema(name = "duration_ms", type = SchemaType.INTEGER, format = "int64",
            description = "How long the step took, in milliseconds", minimum = "0")
    public Long durationMs;
    // Not annotated: Payara then refers to EventError instead of copying it (see ErrorSchema's description).
    public ErrorSchema error;
    @Schema(description = "The LLM model, for llm_call", example = "gpt-4o")
    public String model;
    @Schema(name = "input_tokens", type = SchemaType.INTEGER, format = "int64", minimum = "0")
    public Long inputTokens;
    @Schema(name = "output_tokens", type = SchemaType.INTEGER, format = "int64", minimum = "0")
    public Long outputTokens;
    @Schema(name = "cost_usd", description = "Cost in US dollars", minimum = "0", example = "0.0123")
    public BigDecimal costUsd;
    @Schema(name = "event_id", description = "The producer's idempotency key: a retry with the same event_id "
            + "within tracestream.ingest.dedup-window is stored once")
    public String eventId;
    @Schema(type = SchemaType.OBJECT, description = "String keys to scalar values (string, number, boolean)",
            additionalProperties = Schema.True.class)
    public Map<String, Object> attributes;
    @Schema(description = "What the call was given, on input only (stored beside the event, see content): on a "
            + "tool_call its arguments (any JSON); on an llm_call (or any other event) a string (one user message) or an "
            + "array of messages, each {\"role\", \"parts\": [...]} as the OpenTelemetry GenAI conventions have it, or "
            + "{\"role\", \"content\": \"text\"}", writeOnly = true)
    public Object input;
    @Schema(description = "What the call answered, on input only: a tool_call's result (any JSON); an llm_call's "
            + "answer as a string (one assistant message) or an array of messages", writeOnly = true)
    public Object output;
    // Not annotated: Payara then refers to ContentSummary instead of copying it.
    public ContentSummarySchema content;

    @Schema(name = "ContentSummary", readOnly = true, description = "What the event's call said, in short (written by the "
            + "server): previews of its input and output, and whether its full content is stored, to be read at "
            + "GET /traces/{trace_id}/events/{id}/content")
    public static class ContentSummarySchema {
        @Schema(name = "input_preview", description = "The start of the last user message, or of a tool's arguments")
        public String inputPreview;
        @Schema(name = "output_preview", description = "The start of the model's answer, or of a tool's result")
        public String outputPreview;
        @Schema(description = "Size of the stored content (UTF-8 bytes of its JSON)", minimum = "0")
        public Long bytes;
        @Schema(description = "True when the content was cut to tracestream.content.max-bytes")
        public Boolean truncated;
        @Schema(description = "How many secrets were replaced by [REDACTED] before it was stored", minimum = "0")
        public Integer redacted;
        @Schema(description = "True when the full content is stored (tracestream.content.capture=full)")
        public Boolean kept;
    }

    @Schema(name = "EventError", description = "What went wrong (the error field of a TraceEvent)")
    public static class ErrorSchema {
        @Schema(example = "TimeoutError")
        public String type;
        @Schema(example = "backtest timed out after 30s")
        public String message;
    }
}
