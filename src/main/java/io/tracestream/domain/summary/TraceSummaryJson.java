package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.pricing.PriceCatalog;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The JSON form of a {@link TraceSummary} and of a {@link TraceListItem}. Every key is always
 * present (a stable shape is easier on clients); a value that is not known is {@code null}. Times
 * are ISO-8601 UTC strings, durations whole milliseconds, costs USD as exact decimal numbers.
 *
 * <pre>{@code
 * {
 *   "trace_id", "status": "running|stalled|completed|failed",
 *   "started_at", "ended_at", "last_event_at", "duration_ms", "event_count", "last_event_id",
 *   "agents": [{"agent_id", "state": "working|idle|done|failed", "first_seen_at", "last_event_at",
 *               "last_event_type", "times_called", "tasks", "llm_calls", "tool_calls", "busy_ms",
 *               "last_error": ERROR}],
 *   "steps": [{"index", "kind": "task|llm_call|tool_call", "name", "agent_id", "span_id", "task_id",
 *              "parent_span_id", "parent_index", "started_at", "ended_at", "duration_ms",
 *              "outcome": "open|completed|failed", "error": ERROR, "model", "start_inferred",
 *              "placeholder", "plumbing": null | "langgraph|langchain|openai-agents|mastra|model_chunk|repeated"}],
 *   "graph": {"depth", "nodes": [{"agent_id", "depth"}],
 *             "edges": [{"from", "to", "kind": "call|handoff", "count"}]},
 *   "critical_path": {"duration_ms", "steps": [{"step_index", "agent_id", "kind", "name",
 *                     "started_at", "duration_ms", "self_ms"}]},
 *   "failures": {"failed_steps", "workflow_error": ERROR,
 *                "first_failure": null | {"step_index", "agent_id", "kind", "name", "failed_at",
 *                    "error": ERROR, "caller_chain": [{"step_index", "agent_id", "name"}]}},
 *   "usage": {"total": USAGE, "by_agent": {AGENT: USAGE}, "by_model": {MODEL: USAGE},
 *             "models_without_price": [MODEL],
 *             "price_table": null | {"source", "version", "date"}},
 *   "event_counts": {EVENT_TYPE: COUNT},
 *   "warnings": [TEXT],
 *   "alerts": [{"id", "agent_id", "kind", "severity", "message", "evidence", "event_ids", "resolved",
 *               "key", "at", "resolved_at"}],
 *   "open_alerts": COUNT
 * }
 * ERROR = null | {"type", "message", "stacktrace"}
 * A placeholder step (a parent span that has not arrived) has "placeholder": true and "name" null;
 * its "agent_id" is the agent its children name when they agree (that agent is at work in it), else null.
 * A step with "plumbing" is a framework's own (see Step): left out of failures, critical_path and the
 * agents' task counts.
 * USAGE = {"input_tokens", "output_tokens", "cache_read_input_tokens", "cost_usd": null when partly unknown,
 *          "known_cost_usd", "reported_cost_usd" (the producers' cost_usd), "estimated_cost_usd" (tokens
 *          priced by tracestream.pricing.models or the bundled price_table), "unpriced_events"}
 * }</pre>
 *
 * <p>List item: {@code {"trace_id", "status", "started_at", "ended_at", "duration_ms",
 * "agent_count", "cost_usd", "last_event_at", "event_count", "open_alerts"}}.
 */
public final class TraceSummaryJson {

        private TraceSummaryJson() {}

    public static String write(TraceSummary s) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(text)) {
            g.writeStartObject();
            string(g, "trace_id", s.traceId());
            g.write("status", s.status().wireName());
            instant(g, "started_at", s.startedAt());
            instant(g, "ended_at", s.endedAt());
            instant(g, "last_event_at", s.lastEventAt());
            g.write("duration_ms", s.durationMs());
            g.write("event_count", s.eventCount());
            string(g, "last_event_id", s.lastEventId());
            writeAgents(g, s.agents());
            writeSteps(g, s.steps());
            writeGraph(g, s.graph());
            writeCriticalPath(g, s.criticalPath());
            writeFailures(g, s.failures());
            writeUsage(g, s.usage());
            g.writeStartObject("event_counts");
            s.eventCounts().forEach(g::write);
            g.writeEnd();
            g.writeStartArray("warnings");
            s.warnings().forEach(g::write);
            g.writeEnd();
            g.writeStartArray("alerts");
            s.alerts().forEach(g::write);
            g.writeEnd();
            g.write("open_alerts", s.openAlerts());
            g.writeEnd();
        }
        return text.toString();
    }

    public static String writeListItem(TraceListItem item) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(text)) {
            listItem(g, item);
        }
        return text.toString();
    }

    /** A JSON array of list items, in the order given. */
    public static String writeList(List<TraceListItem> items) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(text)) {
            g.writeStartArray();
            items.forEach(item -> listItem(g, item));
            g.writeEnd();
        }
        return text.toString();
    }

    private static void listItem(JsonGenerator g, TraceListItem item) {
        g.writeStartObject();
        string(g, "trace_id", item.traceId());
        g.write("status", item.status().wireName());
        instant(g, "started_at", item.startedAt());
        instant(g, "ended_at", item.endedAt());
        g.write("duration_ms", item.durationMs());
        g.write("agent_count", item.agentCount());
        money(g, "cost_usd", item.costUsd());
        instant(g, "last_event_at", item.lastEventAt());
        g.write("event_count", item.eventCount());
        g.write("open_alerts", item.openAlerts());
        g.writeEnd();
    }

    private static void writeAgents(JsonGenerator g, List<AgentSummary> agents) {
        g.writeStartArray("agents");
        for (AgentSummary a : agents) {
            g.writeStartObject();
            g.write("agent_id", a.agentId());
            g.write("state", a.state().wireName());
            instant(g, "first_seen_at", a.firstSeenAt());
            instant(g, "last_event_at", a.lastEventAt());
            string(g, "last_event_type", a.lastEventType());
            g.write("times_called", a.timesCalled());
            g.write("tasks", a.tasks());
            g.write("llm_calls", a.llmCalls());
            g.write("tool_calls", a.toolCalls());
            g.write("busy_ms", a.busyMs());
            error(g, "last_error", a.lastError());
            g.writeEnd();
        }
        g.writeEnd();
    }

    private static void writeSteps(JsonGenerator g, List<Step> steps) {
        g.writeStartArray("steps");
        for (Step s : steps) {
            g.writeStartObject();
            g.write("index", s.index());
            g.write("kind", s.kind().wireName());
            string(g, "name", s.name());
            string(g, "agent_id", s.agentId());
            string(g, "span_id", s.spanId());
            string(g, "task_id", s.taskId());
            string(g, "parent_span_id", s.parentSpanId());
            if (s.parentIndex() == null) {
                g.writeNull("parent_index");
            } else {
                g.write("parent_index", s.parentIndex());
            }
            instant(g, "started_at", s.startedAt());
            instant(g, "ended_at", s.endedAt());
            g.write("duration_ms", s.durationMs());
            g.write("outcome", s.outcome().wireName());
            error(g, "error", s.error());
            string(g, "model", s.model());
            g.write("start_inferred", s.startInferred());
            g.write("placeholder", s.placeholder());
            string(g, "plumbing", s.plumbing());
            g.writeEnd();
        }
        g.writeEnd();
    }

    private static void writeGraph(JsonGenerator g, DependencyGraph graph) {
        g.writeStartObject("graph");
        g.write("depth", graph.depth());
        g.writeStartArray("nodes");
        for (DependencyGraph.Node n : graph.nodes()) {
            g.writeStartObject().write("agent_id", n.agentId()).write("depth", n.depth()).writeEnd();
        }
        g.writeEnd();
        g.writeStartArray("edges");
        for (DependencyGraph.Edge e : graph.edges()) {
            g.writeStartObject().write("from", e.from()).write("to", e.to())
                    .write("kind", e.kind().wireName()).write("count", e.count()).writeEnd();
        }
        g.writeEnd();
        g.writeEnd();
    }

    private static void writeCriticalPath(JsonGenerator g, CriticalPath path) {
        g.writeStartObject("critical_path");
        g.write("duration_ms", path.durationMs());
        g.writeStartArray("steps");
        for (CriticalPath.Entry e : path.steps()) {
            g.writeStartObject();
            g.write("step_index", e.stepIndex());
            string(g, "agent_id", e.agentId());
            g.write("kind", e.kind().wireName());
            string(g, "name", e.name());
            instant(g, "started_at", e.startedAt());
            g.write("duration_ms", e.durationMs());
            g.write("self_ms", e.selfMs());
            g.writeEnd();
        }
        g.writeEnd();
        g.writeEnd();
    }

    private static void writeFailures(JsonGenerator g, Failures failures) {
        g.writeStartObject("failures");
        g.write("failed_steps", failures.failedSteps());
        error(g, "workflow_error", failures.workflowError());
        Failures.FirstFailure first = failures.firstFailure();
        if (first == null) {
            g.writeNull("first_failure");
        } else {
            Step s = first.step();
            g.writeStartObject("first_failure");
            g.write("step_index", s.index());
            g.write("agent_id", s.agentId());
            g.write("kind", s.kind().wireName());
            string(g, "name", s.name());
            instant(g, "failed_at", s.endedAt());
            error(g, "error", s.error());
            g.writeStartArray("caller_chain");
            for (Step caller : first.callerChain()) {
                g.writeStartObject().write("step_index", caller.index());
                string(g, "agent_id", caller.agentId());
                string(g, "name", caller.name());
                g.writeEnd();
            }
            g.writeEnd();
            g.writeEnd();
        }
        g.writeEnd();
    }

    private static void writeUsage(JsonGenerator g, UsageSummary usage) {
        g.writeStartObject("usage");
        usage(g, "total", usage.total());
        g.writeStartObject("by_agent");
        usage.byAgent().forEach((agent, u) -> usage(g, agent, u));
        g.writeEnd();
        g.writeStartObject("by_model");
        usage.byModel().forEach((model, u) -> usage(g, model, u));
        g.writeEnd();
        g.writeStartArray("models_without_price");
        usage.modelsWithoutPrice().forEach(g::write);
        g.writeEnd();
        PriceCatalog.Origin table = usage.priceTable();
        if (table == null) {
            g.writeNull("price_table");
        } else {
            g.writeStartObject("price_table");
            string(g, "source", table.source());
            string(g, "version", table.version());
            string(g, "date", table.date());
            g.writeEnd();
        }
        g.writeEnd();
    }

    private static void usage(JsonGenerator g, String name, Usage u) {
        g.writeStartObject(name);
        g.write("input_tokens", u.inputTokens());
        g.write("output_tokens", u.outputTokens());
        g.write("cache_read_input_tokens", u.cacheReadInputTokens());
        money(g, "cost_usd", u.costUsd());
        money(g, "known_cost_usd", u.knownCostUsd());
        money(g, "reported_cost_usd", u.reportedCostUsd());
        money(g, "estimated_cost_usd", u.estimatedCostUsd());
        g.write("unpriced_events", u.unpricedEvents());
        g.writeEnd();
    }

    private static void error(JsonGenerator g, String name, EventError error) {
        if (error == null) {
            g.writeNull(name);
            return;
        }
        g.writeStartObject(name);
        string(g, "type", error.type());
        string(g, "message", error.message());
        string(g, "stacktrace", error.stacktrace());
        g.writeEnd();
    }

    private static void string(JsonGenerator g, String name, String value) {
        if (value == null) {
            g.writeNull(name);
        } else {
            g.write(name, value);
        }
    }

    private static void instant(JsonGenerator g, String name, Instant value) {
        string(g, name, value == null ? null : value.toString());
    }

    /** Trailing zeros dropped so equal amounts print alike (0.0225, not 0.022500). */
    private static void money(JsonGenerator g, String name, BigDecimal value) {
        if (value == null) {
            g.writeNull(name);
            return;
        }
        BigDecimal tidy = value.stripTrailingZeros();
        g.write(name, tidy.scale() < 0 ? tidy.setScale(0) : tidy);
    }
}
