package io.tracestream.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The trace summary in the OpenAPI document; the JSON is written by
 * {@link io.tracestream.domain.summary.TraceSummaryJson}, whose javadoc shows every nested field.
 */
@Schema(name = "TraceSummary", description = "A trace folded from its events. Every key is always present; unknown values are null.")
public class TraceSummarySchema {
    @Schema(name = "trace_id") public String traceId;
    @Schema(enumeration = {"running", "stalled", "completed", "failed"},
            description = "stalled: running but no event for tracestream.trace.stall-after") public String status;
    @Schema(name = "started_at", format = "date-time", nullable = true) public String startedAt;
    @Schema(name = "ended_at", format = "date-time", nullable = true) public String endedAt;
    @Schema(name = "last_event_at", format = "date-time", nullable = true) public String lastEventAt;
    @Schema(name = "duration_ms", type = SchemaType.INTEGER, format = "int64", description = "Ticks while running") public long durationMs;
    @Schema(name = "event_count", type = SchemaType.INTEGER, format = "int64") public long eventCount;
    @Schema(name = "last_event_id", description = "The last event folded in", nullable = true) public String lastEventId;
    @Schema(type = SchemaType.ARRAY, implementation = Map.class, description = "Each agent: agent_id, state (working, idle, done, failed), "
            + "first_seen_at, last_event_at, last_event_type, times_called, tasks, llm_calls, tool_calls, busy_ms, last_error")
    public List<Map<String, Object>> agents;
    @Schema(type = SchemaType.ARRAY, implementation = Map.class, description = "Steps paired from start/complete/fail events: index, kind "
            + "(task, llm_call, tool_call), name, agent_id, span_id, task_id, parent_span_id, parent_index, started_at, "
            + "ended_at, duration_ms, outcome (open, completed, failed), error, model")
    public List<Map<String, Object>> steps;
    @Schema(type = SchemaType.OBJECT, description = "Who called whom: depth, nodes [{agent_id, depth}], "
            + "edges [{from, to, kind (call, handoff), count}]")
    public Map<String, Object> graph;
    @Schema(name = "critical_path", type = SchemaType.OBJECT, description = "The chain of steps that set the total "
            + "duration: duration_ms, steps [{step_index, agent_id, kind, name, started_at, duration_ms, self_ms}]")
    public Map<String, Object> criticalPath;
    @Schema(type = SchemaType.OBJECT, description = "failed_steps, workflow_error, first_failure {step_index, agent_id, "
            + "kind, name, failed_at, error, caller_chain [{step_index, agent_id, name}]}")
    public Map<String, Object> failures;
    @Schema(type = SchemaType.OBJECT, description = "Tokens and cost: total, by_agent, by_model (each input_tokens, "
            + "output_tokens, cost_usd (null when partly unknown), known_cost_usd, unpriced_events), models_without_price")
    public Map<String, Object> usage;
    @Schema(name = "event_counts", type = SchemaType.OBJECT, description = "Events by type")
    public Map<String, Long> eventCounts;
    @Schema(type = SchemaType.ARRAY, implementation = String.class,
            description = "Oddities met while folding, such as a completion without a start")
    public List<String> warnings;
    @Schema(type = SchemaType.ARRAY, implementation = Map.class, description = "The run guards' findings (alert events), "
            + "current and past, in the order raised, each as last stored: id, agent_id, kind (loop, budget, silent, "
            + "error_burst, too_long), severity (warning, critical), message, evidence, event_ids, resolved, key, at, resolved_at")
    public List<Map<String, Object>> alerts;
    @Schema(name = "open_alerts", type = SchemaType.INTEGER, format = "int64", description = "Findings not yet resolved")
    public long openAlerts;
}
