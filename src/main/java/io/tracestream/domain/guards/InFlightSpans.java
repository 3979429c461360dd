package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
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
 * zero-length copy of each span as it starts (a pending span), and so can any SDK with a span
 * processor of a few lines. The OTLP receiver maps that copy to the real span's start: events with
 * the real span's id as {@code span_id} and the attribute {@value #SPAN_TYPE} = {@value #PENDING_SPAN},
 * which announce the span here. The span has ended when an event that ends a span ({@link #SPAN_ENDS})
 * arrives with its id and without that attribute. The real span's own start events, which the store
 * drops as duplicates of the announcement, end nothing should they come: they are starts. An end that
 * arrived before the announcement (spans exported out of order) means it announces nothing. A run
 * that ends ends its spans.
 *
 * <p>The consequence: a run hung inside an announced span is not silent; the run-duration guard is
 * what catches it.
 */
final class InFlightSpans {

    static final String SPAN_TYPE = "logfire.span_type";
    static final String PENDING_SPAN = "pending_span";
    /** The event types that end a span: a task's, a workflow's, and a model or tool call's, each its span's last. */
    static final Set<String> SPAN_ENDS = Set.of(EventType.TASK_COMPLETED.wireName(), EventType.TASK_FAILED.wireName(),
            EventType.WORKFLOW_COMPLETED.wireName(), EventType.WORKFLOW_FAILED.wireName(),
            EventType.LLM_CALL.wireName(), EventType.TOOL_CALL.wireName());

    /** Real span id to the id of the event that announced it. */
    private final Map<String, String> open = new LinkedHashMap<>();
    private final Set<String> ended = new HashSet<>();

    static boolean isPending(TraceEvent e) {
        return PENDING_SPAN.equals(e.attributes().get(SPAN_TYPE));
    }

    void onEvent(TraceEvent e) {
        String span = e.spanId();
        if (span == null) {
            return;
        }
        if (isPending(e)) {
            if (!ended.contains(span)) {
                open.putIfAbsent(span, e.id());
            }
        } else if (SPAN_ENDS.contains(e.eventType())) {
            ended.add(span);
            open.remove(span);
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
