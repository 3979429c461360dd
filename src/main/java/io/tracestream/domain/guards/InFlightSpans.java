package io.tracestream.domain.guards;

import io.tracestream.domain.TraceEvent;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The spans a run has announced as started and not yet reported as ended: work in flight, which
 * keeps a run from being silent however long the work takes.
 *
 * <p>Why: OpenTelemetry SDKs export a span when it ends, so an agent in a two-minute model call
 * sends nothing for two minutes, and a hang looks like silence. Pydantic Logfire's SDK sends a
 * zero-length copy of each span as it starts, and so can any SDK with a span processor of a few
 * lines. The convention, as Logfire's SDK writes it: the copy is an event with the attribute
 * {@value #SPAN_TYPE} = {@value #PENDING_SPAN}, a span id of its own, and the real span as its
 * parent ({@code parent_span_id}); its {@value #PENDING_PARENT_ID} is the real span's parent, not the
 * real span (so it is not what is matched here). The real span has ended when an event with its
 * span id arrives that is not itself such a copy; one that arrived before its copy (spans exported
 * out of order) means the copy announces nothing. A run that ends ends its spans.
 *
 * <p>The consequence: a run hung inside an announced span is not silent; the run-duration guard is
 * what catches it.
 */
final class InFlightSpans {

    static final String SPAN_TYPE = "logfire.span_type";
    static final String PENDING_SPAN = "pending_span";
    static final String PENDING_PARENT_ID = "logfire.pending_parent_id";

    /** Real span id to the id of the event that announced it. */
    private final Map<String, String> open = new LinkedHashMap<>();
    private final Set<String> ended = new HashSet<>();

    static boolean isPending(TraceEvent e) {
        return PENDING_SPAN.equals(e.attributes().get(SPAN_TYPE));
    }

    void onEvent(TraceEvent e) {
        if (isPending(e)) {
            String real = e.parentSpanId();
            if (real != null && !ended.contains(real)) {
                open.putIfAbsent(real, e.id());
            }
            return;
        }
        if (e.spanId() != null) {
            ended.add(e.spanId());
            open.remove(e.spanId());
        }
    }

    boolean any() {
        return !open.isEmpty();
    }

    /** The spans in flight, by real span id, each with the id of the event that announced it. */
    Map<String, String> open() {
        return Map.copyOf(open);
    }

    /** The run ended: nothing is in flight any more. */
    void clear() {
        open.clear();
    }
}
