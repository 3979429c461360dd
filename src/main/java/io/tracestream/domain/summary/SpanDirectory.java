package io.tracestream.domain.summary;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import java.time.Instant;
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
 *
 * <p>It also keeps when each span started and ended, as far as its events say, because a child's
 * clock does not always agree with its parent's: the OpenTelemetry JavaScript SDK stamps a span's
 * start with {@code Date.now()} (whole milliseconds) and its end as start plus a precise duration,
 * so a child that ends a few microseconds before its parent can be stamped up to a millisecond
 * after it. {@link #placementBelow} gives the window the known ancestors allow.
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

    private static final class KnownSpan {
        final String agentId;
        final boolean agentIsStandIn;
        final String parentSpanId;
        /** When the span started and ended, or {@code null} until an event says. */
        Instant start;
        Instant end;

        KnownSpan(String agentId, boolean agentIsStandIn, String parentSpanId) {
            this.agentId = agentId;
            this.agentIsStandIn = agentIsStandIn;
            this.parentSpanId = parentSpanId;
        }
    }

    /**
     * Where a child of some span sits: how many known spans are above it, and the window of time
     * those spans allow it ({@code null} bounds are open), applied nearest ancestor first.
     */
    record Placement(int depth, Instant notBefore, Instant notAfter) {

        static final Placement TOP = new Placement(0, null, null);

        /** The instant moved into the window; {@code null} stays {@code null}. */
        Instant place(Instant at) {
            return at == null ? null : clamp(at, notBefore, notAfter);
        }

        /** This placement inside one more enclosing span, running from {@code start} to {@code end}. */
        Placement within(Instant start, Instant end) {
            // A clamp into the enclosing span after a clamp into this window is one clamp again,
            // into this window's bounds moved into the enclosing span.
            Instant from = notBefore == null ? start : clamp(notBefore, start, end);
            Instant to = notAfter == null ? end : clamp(notAfter, start, end);
            return new Placement(depth + 1, from, to);
        }

        private static Instant clamp(Instant at, Instant from, Instant to) {
            Instant placed = from != null && at.isBefore(from) ? from : at;
            return to != null && placed.isAfter(to) ? to : placed;
        }
    }

    private final Map<String, KnownSpan> known = new HashMap<>();
    private final Set<String> awaited = new HashSet<>();
    /** The agent of each agent run ({@code attributes.agent_run}), from the first event that named a real one. */
    private final Map<String, String> runAgents = new HashMap<>();
    /** The earliest time any event under each span names (its work began by then). */
    private final Map<String, Instant> earliestChild = new HashMap<>();

    /**
     * Records what the event says about its span and its parent.
     *
     * @return true when the event's span was awaited: a span that arrived before it named it as
     *         parent, so what was worked out for that child without its parent is now out of date
     */
    boolean register(TraceEvent e) {
        boolean wasAwaited = false;
        String span = e.spanId();
        if (span != null && reportsOwnWork(e)) {
            KnownSpan own = known.get(span);
            if (own == null) {
                own = new KnownSpan(e.agentId(), AgentSource.isStandIn(e), e.parentSpanId());
                known.put(span, own);
                wasAwaited = awaited.remove(span);
            }
            // Of its own work only a task's start is stamped at the span's start.
            if (SpanTimeOrder.closesSpan(e)) {
                own.end = own.end == null ? e.timestamp() : own.end;
            } else {
                own.start = own.start == null ? e.timestamp() : own.start;
            }
        }
        String parent = e.parentSpanId();
        if (parent != null && !parent.equals(span) && !known.containsKey(parent)) {
            awaited.add(parent);
        }
        if (parent != null && e.timestamp() != null) {
            earliestChild.merge(parent, e.timestamp(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Object run = e.attributes().get(TraceSummarizer.ATTR_AGENT_RUN);
        if (run != null && e.agentId() != null && !AgentSource.isStandIn(e)) {
            runAgents.putIfAbsent(run.toString(), e.agentId());
        }
        return wasAwaited;
    }

    /** The agent whose run this is, as an event of the run that named its agent said; {@code null} if none did. */
    String agentOfRun(String run) {
        return run == null ? null : runAgents.get(run);
    }

    /**
     * The first span above {@code spanId}, itself included, that has not arrived, looking through
     * spans whose agent is a stand-in; {@code null} when an ancestor with a real agent, or the top,
     * comes first.
     */
    String unknownAbove(String spanId) {
        String current = spanId;
        for (int hops = 0; current != null && hops <= known.size(); hops++) {
            KnownSpan span = known.get(current);
            if (span == null) {
                return current;
            }
            if (!span.agentIsStandIn) {
                return null;
            }
            current = span.parentSpanId;
        }
        return null;
    }

    /** When the earliest event under the span is stamped; {@code null} when none names it as parent. */
    Instant earliestChildOf(String spanId) {
        return earliestChild.get(spanId);
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
            if (!span.agentIsStandIn) {
                return span.agentId;
            }
            current = span.parentSpanId;
        }
        return null;
    }

    /**
     * Where a child of {@code parentSpanId} sits: the known spans above it, up to the first unknown
     * one, counting at most {@link #DEEPEST_COUNTED}, and the window of time they allow.
     */
    Placement placementBelow(String parentSpanId) {
        Placement placement = Placement.TOP;
        String current = parentSpanId;
        while (current != null && placement.depth() < DEEPEST_COUNTED) {
            KnownSpan span = known.get(current);
            if (span == null) {
                break;
            }
            placement = placement.within(span.start, span.end);
            current = span.parentSpanId;
        }
        return placement;
    }

    private static boolean reportsOwnWork(TraceEvent e) {
        return e.eventType() != null && OWN_WORK.contains(e.eventType());
    }
}
