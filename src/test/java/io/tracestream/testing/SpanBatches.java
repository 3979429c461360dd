package io.tracestream.testing;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.store.NewEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events of ended OpenTelemetry spans as the OTLP mapper stores them (one span's start and end
 * in one append, with {@code attributes.agent_source}), for the concurrency tests that write a
 * trace from many threads: span {@code n}'s parent is span {@code (n / 10) * 10 + 1}, so parents
 * and children arrive in any order, as concurrent exports bring them.
 */
public final class SpanBatches {

    /** How many events each span stores. */
    public static final int EVENTS_PER_SPAN = 4;

    private SpanBatches() {}

    public static List<NewEvent> span(String traceId, int n) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z").plusMillis(n);
        String span = String.format("%016x", n);
        String parent = n % 10 == 1 ? null : String.format("%016x", (n / 10) * 10 + 1);
        List<NewEvent> events = new ArrayList<>(EVENTS_PER_SPAN);
        for (String type : List.of("agent_called", "task_started", "task_completed", "llm_call")) {
            Instant at = type.equals("task_completed") || type.equals("llm_call") ? start.plusMillis(5) : start;
            TraceEvent e = new TraceEvent(null, traceId, type, "agent-" + (n % 3), at, span, parent, "step-" + n,
                    null, type.equals("llm_call") ? 5L : null, null, null, null, null, null, null,
                    Map.of("agent_source", "span"));
            events.add(new NewEvent(type, e.agentId(), null, TraceEventJson.write(e)));
        }
        return events;
    }

    /** A JSON producer's {@code workflow_completed}: the run's end. */
    public static List<NewEvent> workflowCompleted(String traceId) {
        TraceEvent e = new TraceEvent(null, traceId, "workflow_completed", "agent-0", Instant.parse("2026-01-01T01:00:00Z"),
                null, null, null, null, null, null, null, null, null, null, null, Map.of());
        return List.of(new NewEvent(e.eventType(), e.agentId(), null, TraceEventJson.write(e)));
    }
}
