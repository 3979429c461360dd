package io.tracestream.web;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace as the store holds it, written by hand for the page's unit tests: events given as JSON
 * (times in milliseconds after {@link #T0}), stored in the order added with increasing ids, and the
 * summary the server would fold from them.
 */
final class StoredTrace {

    static final String TRACE_ID = "page-test";
    static final Instant T0 = Instant.parse("2026-01-20T09:00:00Z");

    private final List<StoredEvent> events = new ArrayList<>();

    /**
     * Stores the event {@code type} of {@code agent} at {@code ms} after {@link #T0}.
     *
     * @param fields more of the event's JSON fields, such as {@code "span_id":"s1"}; may be empty
     */
    StoredTrace add(String type, String agent, long ms, String fields) {
        String id = (1_000 + events.size()) + "-0";
        String json = "{\"id\":\"" + id + "\",\"trace_id\":\"" + TRACE_ID + "\",\"event_type\":\"" + type
                + "\",\"agent_id\":\"" + agent + "\",\"timestamp\":\"" + T0.plusMillis(ms) + "\""
                + (fields.isEmpty() ? "" : "," + fields) + "}";
        TraceEvent e = TraceEventJson.readStored(json);
        String previous = events.isEmpty() ? null : events.get(events.size() - 1).id();
        events.add(new StoredEvent(id, previous, TRACE_ID, e.eventType(), e.agentId(), json));
        return this;
    }

    List<StoredEvent> events() {
        return events;
    }

    /** The summary as of {@code ms} after {@link #T0}. */
    TraceSummary summary(long nowMs) {
        TraceSummarizer summarizer = new TraceSummarizer();
        events.forEach(e -> summarizer.apply(TraceEventJson.readStored(e.json())));
        return summarizer.snapshot(T0.plusMillis(nowMs));
    }

    /** Span fields of an OpenTelemetry-mapped event: its span, parent and how its agent was found. */
    static String span(String spanId, String parentSpanId, String agentSource, String moreAttributes) {
        return "\"span_id\":\"" + spanId + "\"" + (parentSpanId == null ? "" : ",\"parent_span_id\":\"" + parentSpanId + "\"")
                + ",\"attributes\":{\"agent_source\":\"" + agentSource + "\""
                + (moreAttributes.isEmpty() ? "" : "," + moreAttributes) + "}";
    }
}
