package io.tracestream.domain.guards;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the events of scripted runs, ids in store order: {@code RunEvents.at(5, "tool_call", "a").attribute("tool", "search").build()}. */
final class RunEvents {

    static final String TRACE_ID = "guarded-run";
    /** Second 0 of every scripted run. */
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static int nextId = 1;

    private final String eventType;
    private final String agentId;
    private final Instant timestamp;
    private String spanId;
    private String parentSpanId;
    private String taskId;
    private String status;
    private EventError error;
    private String model;
    private Long inputTokens;
    private Long outputTokens;
    private BigDecimal costUsd;
    private CallContent content;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private RunEvents(double second, String eventType, String agentId) {
        this.timestamp = second(second);
        this.eventType = eventType;
        this.agentId = agentId;
    }

    static RunEvents at(double second, String eventType, String agentId) {
        return new RunEvents(second, eventType, agentId);
    }

    RunEvents span(String id) { spanId = id; return this; }
    RunEvents parent(String id) { parentSpanId = id; return this; }
    RunEvents task(String id) { taskId = id; return this; }
    RunEvents status(String s) { status = s; return this; }
    RunEvents error(String type, String message) { error = new EventError(type, message); return this; }
    RunEvents model(String m) { model = m; return this; }
    RunEvents tokens(long input, long output) { inputTokens = input; outputTokens = output; return this; }
    RunEvents cost(String usd) { costUsd = new BigDecimal(usd); return this; }
    RunEvents content(CallContent c) { content = c; return this; }
    RunEvents attribute(String key, Object value) { attributes.put(key, value); return this; }

    TraceEvent build() {
        return new TraceEvent((nextId++) + "-0", TRACE_ID, eventType, agentId, timestamp, spanId, parentSpanId,
                taskId, status, null, error, model, inputTokens, outputTokens, costUsd, null, attributes, content);
    }

    static Instant second(double s) {
        return T0.plusMillis(Math.round(s * 1000));
    }

    /** Feeds the events in order; returns every alert they raised or resolved. */
    static List<RunAlert> feed(RunGuards guards, TraceEvent... events) {
        List<RunAlert> out = new ArrayList<>();
        for (TraceEvent e : events) {
            out.addAll(guards.onEvent(e));
        }
        return out;
    }
}
