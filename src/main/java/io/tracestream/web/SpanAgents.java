package io.tracestream.web;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.Step;
import io.tracestream.domain.summary.TraceSummary;
import java.util.HashMap;
import java.util.Map;

/**
 * Whose event it is, as the summary settled it. An event mapped from an OpenTelemetry span before
 * its agent ancestor arrived names the service as a stand-in ({@code attributes.agent_source} is
 * {@code service}); the summary gives its step the real agent once that ancestor is in, but the
 * stored event keeps the stand-in for good. The log shows the summary's answer, so a row reads as
 * the timeline does. {@code trace.js} does the same with every summary it gets ({@code relabel}).
 */
final class SpanAgents {

    static final String AGENT_SOURCE = "agent_source";
    /** The {@code agent_source} of an event whose {@code agent_id} is the service standing in. */
    static final String STAND_IN = "service";

    private final Map<String, String> bySpan;

    private SpanAgents(Map<String, String> bySpan) {
        this.bySpan = bySpan;
    }

    static SpanAgents of(TraceSummary s) {
        Map<String, String> bySpan = new HashMap<>();
        for (Step step : s.steps()) {
            // Tasks, LLM and tool calls carry the span id of the events they were made from; a
            // placeholder has no events, and its span id is the one it waits for.
            if (!step.placeholder() && step.spanId() != null && step.agentId() != null) {
                bySpan.put(step.spanId(), step.agentId());
            }
        }
        return new SpanAgents(bySpan);
    }

    /** True when the event's {@code agent_id} is the service standing in for an agent not known when it was mapped. */
    static boolean isStandIn(TraceEvent e) {
        return STAND_IN.equals(String.valueOf(e.attributes().get(AGENT_SOURCE)));
    }

    /** The agent to show for the event: the summary's for a stand-in whose span it has placed, else the event's own. */
    String shown(TraceEvent e) {
        if (!isStandIn(e) || e.spanId() == null) {
            return e.agentId();
        }
        return bySpan.getOrDefault(e.spanId(), e.agentId());
    }
}
