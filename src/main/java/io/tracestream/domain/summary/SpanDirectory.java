package io.tracestream.domain.summary;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The spans of a trace that have arrived, whatever order they arrived in: each span's agent and
 * parent, and the parent spans that children have named but that have not arrived yet. A span is
 * known from the events that report its own work (a task's start or end, an LLM or tool call);
 * an {@code agent_called} or {@code agent_transition} only announces it.
 *
 * <p>The agent of a span is the one its events name, unless they name the service as a stand-in
 * ({@link AgentSource#SERVICE}): then it is the agent of its nearest ancestor that has one, once
 * that ancestor is known.
 */
final class SpanDirectory {

    private static final Set<String> OWN_WORK = Stream.of(EventType.TASK_STARTED, EventType.TASK_COMPLETED,
            EventType.TASK_FAILED, EventType.LLM_CALL, EventType.TOOL_CALL).map(EventType::wireName)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Depth is only a tie-break between events of the same instant, so counting stops here: a
     * cycle of parents then ends, and ends at the same count however many other spans are known.
     */
    static final int DEEPEST_COUNTED = 256;

    private record KnownSpan(String agentId, boolean agentIsStandIn, String parentSpanId) {}

    private final Map<String, KnownSpan> known = new HashMap<>();
    private final Set<String> awaited = new HashSet<>();

    /**
     * Records what the event says about its span and its parent.
     *
     * @return true when the event's span was awaited: a span that arrived before it named it as
     *         parent, so what was worked out for that child without its parent is now out of date
     */
    boolean register(TraceEvent e) {
        boolean wasAwaited = false;
        String span = e.spanId();
        if (span != null && reportsOwnWork(e) && !known.containsKey(span)) {
            known.put(span, new KnownSpan(e.agentId(), AgentSource.isStandIn(e), e.parentSpanId()));
            wasAwaited = awaited.remove(span);
        }
        String parent = e.parentSpanId();
        if (parent != null && !parent.equals(span) && !known.containsKey(parent)) {
            awaited.add(parent);
        }
        return wasAwaited;
    }

    /**
     * The agent of the span, looking through stand-ins to the nearest ancestor with a real agent;
     * {@code null} when that ancestor (or the span) has not arrived.
     */
    String agentOf(String spanId) {
        String current = spanId;
        // Bounded by the number of spans, so a cycle of parents from a confused producer ends.
        for (int hops = 0; current != null && hops <= known.size(); hops++) {
            KnownSpan span = known.get(current);
            if (span == null) {
                return null;
            }
            if (!span.agentIsStandIn()) {
                return span.agentId();
            }
            current = span.parentSpanId();
        }
        return null;
    }

    /**
     * How many known spans there are above a child of {@code parentSpanId}, up to the first unknown
     * one, counting at most {@link #DEEPEST_COUNTED}.
     */
    int depthBelow(String parentSpanId) {
        int depth = 0;
        String current = parentSpanId;
        while (current != null && depth < DEEPEST_COUNTED) {
            KnownSpan span = known.get(current);
            if (span == null) {
                break;
            }
            depth++;
            current = span.parentSpanId();
        }
        return depth;
    }

    private static boolean reportsOwnWork(TraceEvent e) {
        return e.eventType() != null && OWN_WORK.contains(e.eventType());
    }
}
