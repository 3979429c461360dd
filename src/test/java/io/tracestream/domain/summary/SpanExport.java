package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns OpenTelemetry-shaped spans into the events the OTLP span mapper stores, so tests can send a
 * trace span by span in any order. As the mapper does, a span whose agent is not its own is given
 * the agent of its nearest agent ancestor when that ancestor is in the same export, else the
 * service's name as a stand-in ({@code agent_source} {@code ancestor} / {@code service}).
 */
final class SpanExport {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SERVICE = "research-app";
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    enum Kind { ROOT_AGENT, AGENT, LLM, TOOL, GENERIC }

    /** One span: {@code name} is the agent of an agent span, the model, the tool, or the generic span's name. */
    record Span(String id, String parentId, Kind kind, String name, double startSecond, double endSecond,
                boolean failed, long inputTokens, long outputTokens) {

        static Span of(String id, String parentId, Kind kind, String name, double start, double end) {
            return new Span(id, parentId, kind, name, start, end, false, 0, 0);
        }

        Span failing() {
            return new Span(id, parentId, kind, name, startSecond, endSecond, true, inputTokens, outputTokens);
        }

        Span tokens(long input, long output) {
            return new Span(id, parentId, kind, name, startSecond, endSecond, failed, input, output);
        }

        boolean isAgent() {
            return kind == Kind.ROOT_AGENT || kind == Kind.AGENT;
        }

        Instant start() {
            return T0.plusNanos(Math.round(startSecond * 1e9));
        }

        Instant end() {
            return T0.plusNanos(Math.round(endSecond * 1e9));
        }

        long durationMs() {
            return Math.round((endSecond - startSecond) * 1000);
        }
    }

    private SpanExport() {}

    /** The events of one export request holding these spans, each span's events together. */
    static List<TraceEvent> eventsOf(Collection<Span> export) {
        Map<String, Span> inExport = new LinkedHashMap<>();
        export.forEach(s -> inExport.put(s.id(), s));
        List<TraceEvent> events = new ArrayList<>();
        for (Span s : export) {
            events.addAll(eventsOf(s, inExport));
        }
        return events;
    }

    /** Store ids in arrival order, as the store gives them: 1-0, 2-0... */
    static List<TraceEvent> stored(List<TraceEvent> arrived) {
        List<TraceEvent> stored = new ArrayList<>(arrived.size());
        for (int i = 0; i < arrived.size(); i++) {
            stored.add(arrived.get(i).withId((i + 1) + "-0"));
        }
        return stored;
    }

    private static List<TraceEvent> eventsOf(Span s, Map<String, Span> inExport) {
        String ancestorAgent = nearestAgentAbove(s, inExport);
        List<TraceEvent> events = new ArrayList<>();
        if (s.isAgent()) {
            Map<String, Object> called = source("span");
            if (ancestorAgent != null) {
                called.put(TraceSummarizer.ATTR_CALLER, ancestorAgent);
            }
            if (s.kind() == Kind.ROOT_AGENT) {
                events.add(event("workflow_started", s.name(), s.start(), s, null, source("span")));
            }
            events.add(event("agent_called", s.name(), s.start(), s, null, called));
            events.add(event("task_started", s.name(), s.start(), s, null, source("span")));
            events.add(event(s.failed() ? "task_failed" : "task_completed", s.name(), s.end(), s, s.durationMs(),
                    source("span")));
            if (s.kind() == Kind.ROOT_AGENT) {
                events.add(event(s.failed() ? "workflow_failed" : "workflow_completed", s.name(), s.end(), s,
                        s.durationMs(), source("span")));
            }
            return events;
        }
        String agent = ancestorAgent != null ? ancestorAgent : SERVICE;
        Map<String, Object> attributes = source(ancestorAgent != null ? "ancestor" : "service");
        switch (s.kind()) {
            case LLM -> events.add(event("llm_call", agent, s.end(), s, s.durationMs(), attributes));
            case TOOL -> {
                attributes.put(TraceSummarizer.ATTR_TOOL, s.name());
                events.add(event("tool_call", agent, s.end(), s, s.durationMs(), attributes));
            }
            default -> {
                events.add(event("task_started", agent, s.start(), s, null, attributes));
                events.add(event(s.failed() ? "task_failed" : "task_completed", agent, s.end(), s, s.durationMs(),
                        attributes));
            }
        }
        return events;
    }

    private static String nearestAgentAbove(Span s, Map<String, Span> inExport) {
        Span parent = inExport.get(s.parentId());
        while (parent != null && !parent.isAgent()) {
            parent = inExport.get(parent.parentId());
        }
        return parent == null ? null : parent.name();
    }

    private static Map<String, Object> source(String agentSource) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(AgentSource.ATTRIBUTE, agentSource);
        attributes.put("service.name", SERVICE);
        return attributes;
    }

    private static TraceEvent event(String type, String agent, Instant at, Span s, Long durationMs,
                                    Map<String, Object> attributes) {
        boolean ends = type.endsWith("_completed") || type.endsWith("_failed") || type.endsWith("_call");
        boolean failed = s.failed() && ends;
        EventError error = failed ? new EventError("ToolError", s.name() + " failed") : null;
        String model = s.kind() == Kind.LLM ? s.name() : null;
        Long input = s.kind() == Kind.LLM ? s.inputTokens() : null;
        Long output = s.kind() == Kind.LLM ? s.outputTokens() : null;
        BigDecimal cost = s.kind() == Kind.LLM ? new BigDecimal("0.001") : null;
        String taskId = s.kind() == Kind.AGENT || s.kind() == Kind.ROOT_AGENT || s.kind() == Kind.GENERIC
                ? s.name() + "-task" : null;
        String status = s.kind() == Kind.TOOL && failed ? "failed" : null;
        return new TraceEvent(null, TRACE_ID, type, agent, at, s.id(), s.parentId(), taskId, status, durationMs,
                error, model, input, output, cost, null, attributes);
    }
}
