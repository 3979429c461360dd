package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which the events of a trace made of OpenTelemetry spans are folded: the order in
 * which things happened, not the order in which spans were exported. SDKs export a span when it
 * ends, so children are stored before their parents and the root comes last; folding by time
 * gives every arrival order the same summary.
 *
 * <p>Events are ordered by timestamp; at the same instant an enclosing span's events come before
 * its children's (fewer known spans above them), so a parent opens before the child that starts
 * with it; then by span id, which only makes the order total; and events of one span keep the
 * order they were stored in, which is the order the mapper wrote them (a span's events always
 * arrive together).
 */
final class SpanTimeOrder {

    /** Where one event goes; {@code arrival} is its position in the stored history. */
    record Key(Instant at, int depth, String spanId, long arrival) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator
                .comparing(Key::at, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparingInt(Key::depth)
                .thenComparing(Key::spanId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(Key::arrival);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private SpanTimeOrder() {}

    static Key keyOf(TraceEvent e, long arrival, SpanDirectory spans) {
        return new Key(e.timestamp(), spans.depthBelow(e.parentSpanId()), e.spanId(), arrival);
    }

    /** An event with its place in the folding order. */
    record Placed(Key key, TraceEvent event) {}

    /** The events, given in stored order, in folding order; {@code spans} must know them all. */
    static List<Placed> sort(List<TraceEvent> stored, SpanDirectory spans) {
        // One walk up the parents per parent span, not per event: siblings share it.
        Map<String, Integer> depthBelow = new HashMap<>();
        List<Placed> placed = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            TraceEvent e = stored.get(i);
            int depth = e.parentSpanId() == null ? 0 : depthBelow.computeIfAbsent(e.parentSpanId(), spans::depthBelow);
            placed.add(new Placed(new Key(e.timestamp(), depth, e.spanId(), i), e));
        }
        placed.sort(Comparator.comparing(Placed::key));
        return placed;
    }
}
