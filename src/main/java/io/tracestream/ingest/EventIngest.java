package io.tracestream.ingest;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.TraceId;
import io.tracestream.domain.content.ContentPolicy;
import io.tracestream.domain.content.Redaction;
import io.tracestream.ops.InFlightWork;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.store.AppendResult;
import io.tracestream.store.EventStore;
import io.tracestream.store.NewEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Taking events in: the one service every producer feeds (the JSON API, the demo, OpenTelemetry
 * spans), once their format is decoded ({@code ingest.json}, {@code ingest.otlp}) and the request
 * is allowed to send them. It settles which trace the events belong to, stamps those without a
 * timestamp, stores each trace's events all or nothing in one append (the store drops retries by
 * {@code event_id}) and counts what it stored and what was refused, the producers' unreadable
 * bodies included. A {@link Receipt} means every event is stored; anything else is an exception
 * and nothing was stored: {@link InvalidEventsException} for events that cannot be accepted,
 * {@link io.tracestream.store.StoreUnavailableException} when the store cannot be reached.
 */
@ApplicationScoped
public class EventIngest {

    @Inject
    EventStore store;
    @Inject
    ServiceMetrics metrics;
    @Inject
    InFlightWork work;
    @Inject
    ContentPolicy content;

    private Clock clock = Clock.systemUTC();

    /** For tests: a service over the given store and metrics, on the given clock. */
    public static EventIngest of(EventStore store, ServiceMetrics metrics, Clock clock) {
        return of(store, metrics, clock, new InFlightWork());
    }

    /** For tests: as above, its work watched by {@code work}. */
    public static EventIngest of(EventStore store, ServiceMetrics metrics, Clock clock, InFlightWork work) {
        return of(store, metrics, clock, work, DEFAULT_CONTENT);
    }

    /** For tests: as above, under the given content policy. */
    public static EventIngest of(EventStore store, ServiceMetrics metrics, Clock clock, InFlightWork work, ContentPolicy content) {
        EventIngest ingest = new EventIngest();
        ingest.store = store;
        ingest.metrics = metrics;
        ingest.clock = clock;
        ingest.work = work;
        ingest.content = content;
        return ingest;
    }

    /** The shipped defaults (META-INF/microprofile-config.properties), for tests that do not care. */
    private static final ContentPolicy DEFAULT_CONTENT =
            new ContentPolicy(ContentPolicy.Capture.FULL, 1_048_576, 200, Redaction.of(true, List.of()));

    /** Why a producer's body was refused before its events could be taken: the metric's reason. */
    public enum Unreadable {
        /** Not in the producer's format, or its events are not valid. */
        INVALID("invalid"),
        /** Over a size limit. */
        TOO_LARGE("too_large");

        private final String reason;

        Unreadable(String reason) {
            this.reason = reason;
        }
    }

    /**
     * Events as a producer sent them, each valid on its own.
     *
     * @param singleObject the request held one event rather than a list: errors then name its
     *                     fields without an index
     */
    public record Submission(List<TraceEvent> events, boolean singleObject) {}

    /** The ids of a request's events, in request order, and how many were retries of stored ones. */
    public record Receipt(String traceId, List<String> ids, int duplicates) {}

    /**
     * @param traceId the trace the producer named outside the events (URL, header), or null to take
     *                it from the events, or mint one when none names it
     */
    public Receipt ingest(String traceId, Submission submission) {
        Batch batch;
        try {
            batch = assign(traceId, submission);
        } catch (InvalidEventsException e) {
            metrics.rejected(Unreadable.INVALID.reason, 1);
            throw e;
        }
        TraceCorrelation.trace(batch.traceId());
        return store(batch.traceId(), batch.events());
    }

    /**
     * The events of spans, by trace (an OTLP export): each trace's events are stored in one
     * append, all or nothing per trace, and the spans are counted once every trace is stored. A
     * failure part way throws: the exporter sends the whole export again, and what was stored
     * already is recognised by its event ids.
     *
     * @param eventsByTrace each trace's events, each with its timestamp and trace id
     * @param rejectedSpans spans the producer's adapter could not map, answered to the exporter
     */
    public void ingestSpans(Map<String, List<TraceEvent>> eventsByTrace, int acceptedSpans, int rejectedSpans) {
        for (Map.Entry<String, List<TraceEvent>> trace : eventsByTrace.entrySet()) {
            store(trace.getKey(), trace.getValue());
        }
        metrics.otlpSpans(acceptedSpans, rejectedSpans);
    }

    /** Counts a producer's body refused before its events could be taken; nothing was stored. */
    public void refused(Unreadable why) {
        metrics.rejected(why.reason, 1);
    }

    /** Counts a body the JSON API could not take, by why. */
    public void refused(InvalidEventsException e) {
        refused(e instanceof EventsTooLargeException ? Unreadable.TOO_LARGE : Unreadable.INVALID);
    }

    private Receipt store(String traceId, List<TraceEvent> events) {
        Redaction.Tally redacted = new Redaction.Tally();
        List<NewEvent> prepared = new ArrayList<>(events.size());
        for (TraceEvent e : events) {
            prepared.add(prepare(e, redacted));
        }
        AppendResult result;
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.INGEST, traceId)) {
            result = store.append(traceId, prepared);
        } catch (RuntimeException e) {
            metrics.rejected("unavailable", prepared.size());
            throw e;
        }
        metrics.ingested(result.stored());
        if (redacted.count() > 0) {
            metrics.redacted(redacted.count());
        }
        return new Receipt(traceId, result.ids(), prepared.size() - result.stored());
    }

    private record Batch(String traceId, List<TraceEvent> events) {}

    /**
     * Every event goes to one trace: the producer's, else the first event's; an event naming
     * another is an error. Events without a timestamp get the time they arrived.
     */
    private Batch assign(String traceId, Submission submission) {
        List<FieldError> errors = new ArrayList<>();
        String batchTraceId = traceId;
        List<TraceEvent> events = submission.events();
        for (int i = 0; i < events.size(); i++) {
            String eventTraceId = events.get(i).traceId();
            if (eventTraceId == null) {
                continue;
            }
            if (batchTraceId == null) {
                batchTraceId = eventTraceId;
            } else if (!batchTraceId.equals(eventTraceId)) {
                String field = submission.singleObject() ? "trace_id" : "[" + i + "].trace_id";
                errors.add(new FieldError(field, "is " + eventTraceId + " but the request is for trace " + batchTraceId));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventsException(errors);
        }
        String finalTraceId = batchTraceId == null ? TraceId.mint() : batchTraceId;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<TraceEvent> assigned = new ArrayList<>(events.size());
        for (TraceEvent e : events) {
            TraceEvent stamped = e.timestamp() == null ? e.withTimestamp(now) : e;
            assigned.add(stamped.withTraceId(finalTraceId));
        }
        return new Batch(finalTraceId, assigned);
    }

    /**
     * The event as it is stored, under the content policy: its call's content kept beside it (or
     * not), and secrets redacted from every text it carries, its attributes and error included
     * (a key pasted into a prompt also turns up in error messages and framework attributes).
     */
    private NewEvent prepare(TraceEvent e, Redaction.Tally redacted) {
        Redaction redaction = content.redaction();
        TraceEvent kept = e;
        if (redaction.isActive()) {
            kept = redactTexts(e, redaction, redacted);
        }
        String contentJson = null;
        if (e.content() != null) {
            Redaction.Tally ofCall = new Redaction.Tally();
            ContentPolicy.Kept call = content.apply(e.content(), ofCall);
            redacted.add(ofCall.count());
            kept = kept.withContent(call == null ? null : call.content().withoutBody());
            contentJson = call == null ? null : call.json();
        }
        return new NewEvent(kept.eventType(), kept.agentId(), kept.eventId(), TraceEventJson.write(kept), contentJson);
    }

    private static TraceEvent redactTexts(TraceEvent e, Redaction redaction, Redaction.Tally tally) {
        int before = tally.count();
        Map<String, Object> attributes = e.attributes();
        Map<String, Object> redactedAttributes = null;
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            if (a.getValue() instanceof String s) {
                String r = redaction.apply(s, tally);
                if (r != s) {
                    if (redactedAttributes == null) {
                        redactedAttributes = new java.util.LinkedHashMap<>(attributes);
                    }
                    redactedAttributes.put(a.getKey(), r);
                }
            }
        }
        TraceEvent.EventError error = e.error();
        if (error != null) {
            error = new TraceEvent.EventError(error.type(), redaction.apply(error.message(), tally),
                    redaction.apply(error.stacktrace(), tally));
        }
        return tally.count() == before ? e : e.withTexts(redactedAttributes != null ? redactedAttributes : attributes, error);
    }
}
