package io.tracestream.domain.summary;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.SpanDirectory.Placement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The order in which the events of a trace made of OpenTelemetry spans are folded: the order in
 * which things happened, not the order in which spans were exported. SDKs export a span when it
 * ends, so children are stored before their parents and the root comes last; folding by time
 * gives every arrival order the same summary.
 *
 * <p>Events are ordered by timestamp, moved into the time of the known spans that enclose
 * theirs: clocks of a child and its parent may disagree by a millisecond (see {@link
 * SpanDirectory}), and a child's work must still be folded inside its parent's, or a parent that
 * failed just after its last child succeeded reads as succeeded. At the same instant, the events
 * that open a span (stamped at its start) come before those that close one (stamped at its end);
 * openings go outermost first, so a parent opens before the child that starts with it, and
 * closings innermost first, so a child closes before the parent that ends with it. Then by span
 * id, which only makes the order total; and events of one span keep the order they were stored
 * in, which is the order the mapper wrote them (a span's events always arrive together).
 */
final class SpanTimeOrder {

    /** The event types the span mapper stamps with a span's end; all others open their span. */
    private static final Set<String> CLOSES_SPAN = Stream.of(EventType.TASK_COMPLETED, EventType.TASK_FAILED,
            EventType.LLM_CALL, EventType.TOOL_CALL, EventType.WORKFLOW_COMPLETED, EventType.WORKFLOW_FAILED)
            .map(EventType::wireName).collect(Collectors.toUnmodifiableSet());

    /** Above every opening's rank (a depth), so closings come after openings of the same instant. */
    private static final int CLOSING_RANKS = 2 * SpanDirectory.DEEPEST_COUNTED + 1;

    /**
     * Where one event goes: {@code at} is its timestamp placed among its ancestors', {@code rank}
     * orders openings and closings of one instant, {@code arrival} is its position in the stored history.
     */
    record Key(Instant at, int rank, String spanId, long arrival) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator
                .comparing(Key::at, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingInt(Key::rank)
                .thenComparing(Key::spanId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(Key::arrival);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private SpanTimeOrder() {}

    static Key keyOf(TraceEvent e, long arrival, SpanDirectory spans) {
        return key(e, arrival, spans.placementBelow(e.parentSpanId()));
    }

    /** An event with its place in the folding order. */
    record Placed(Key key, TraceEvent event) {}

    /** The events, given in stored order, in folding order; {@code spans} must know them all. */
    static List<Placed> sort(List<TraceEvent> stored, SpanDirectory spans) {
        // One walk up the parents per parent span, not per event: siblings share it.
        Map<String, Placement> placementBelow = new HashMap<>();
        List<Placed> placed = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            TraceEvent e = stored.get(i);
            Placement placement = e.parentSpanId() == null ? Placement.TOP
                    : placementBelow.computeIfAbsent(e.parentSpanId(), spans::placementBelow);
            placed.add(new Placed(key(e, i, placement), e));
        }
        placed.sort(Comparator.comparing(Placed::key));
        return placed;
    }

    /** The event is stamped with its span's end; every other event opens its span. */
    static boolean closesSpan(TraceEvent e) {
        return e.eventType() != null && CLOSES_SPAN.contains(e.eventType());
    }

    private static Key key(TraceEvent e, long arrival, Placement placement) {
        int rank = closesSpan(e) ? CLOSING_RANKS - placement.depth() : placement.depth();
        return new Key(placement.place(e.timestamp()), rank, e.spanId(), arrival);
    }
}
