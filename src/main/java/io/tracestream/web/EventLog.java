package io.tracestream.web;

import io.tracestream.domain.EntryId;
import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The event log's rows in the order to show them. Our producers' events are listed as stored: the
 * order they were sent in, which is the order they happened. A trace of OpenTelemetry spans
 * (any event carries {@code attributes.agent_source}) is not: SDKs export a span when it ends, so
 * children come before their parents and the root last; its events are listed by time, then by id
 * (the store's order) for equal times. {@code trace.js} inserts live events by the same rule.
 *
 * @param inTimeOrder true when the rows are in time order (a span trace), false when stored order
 */
record EventLog(List<EventRow> rows, boolean inTimeOrder) {

    private record Read(StoredEvent stored, TraceEvent event) {}

    private static final Comparator<Read> BY_TIME = Comparator
            .comparing((Read r) -> r.event().timestamp(), Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing((a, b) -> EntryId.compare(a.stored().id(), b.stored().id()));

    static EventLog of(List<StoredEvent> events, TraceSummary s) {
        List<Read> read = new ArrayList<>(events.size());
        boolean spans = false;
        for (StoredEvent stored : events) {
            if (EventType.ALERT.equals(stored.eventType())) {
                continue; // the page shows the run guards' findings in its banner, from the summary
            }
            TraceEvent e = TraceEventJson.readStored(stored.json());
            spans |= e.attributes().containsKey(SpanAgents.AGENT_SOURCE);
            read.add(new Read(stored, e));
        }
        if (spans) {
            read.sort(BY_TIME);
        }
        SpanAgents agents = SpanAgents.of(s);
        List<EventRow> rows = read.stream().map(r -> EventRow.of(r.stored(), r.event(), s.startedAt(), agents)).toList();
        return new EventLog(rows, spans);
    }
}
