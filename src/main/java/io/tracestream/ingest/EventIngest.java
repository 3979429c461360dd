package io.tracestream.ingest;

import io.tracestream.domain.EventsTooLargeException;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.TraceId;
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

/**
 * Taking events in: the one service every producer feeds (the JSON API, the demo, OpenTelemetry
 * spans). It settles which trace the events belong to, stamps those without a timestamp, stores
 * them all or nothing (the store drops retries by {@code event_id}) and counts what it stored and
 * what it refused. A {@link Receipt} means every event is stored; anything else is an exception
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

    private Clock clock = Clock.systemUTC();

    /** For tests: a service over the given store and metrics, on the given clock. */
    public static EventIngest of(EventStore store, ServiceMetrics metrics, Clock clock) {
        return of(store, metrics, clock, new InFlightWork());
    }

    /** For tests: as above, its work watched by {@code work}. */
    public static EventIngest of(EventStore store, ServiceMetrics metrics, Clock clock, InFlightWork work) {
        EventIngest ingest = new EventIngest();
        ingest.store = store;
        ingest.metrics = metrics;
        ingest.clock = clock;
        ingest.work = work;
        return ingest;
    }

    /**
     * A producer's events, read when the service asks, so that a body that cannot be read is
     * refused and counted here like any other.
     */
    @FunctionalInterface
    public interface Events {
        /** @throws InvalidEventsException naming every field that was wrong */
        Submission read();
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
    public Receipt ingest(String traceId, Events events) {
        Batch batch;
        try {
            batch = assign(traceId, events.read());
        } catch (InvalidEventsException e) {
            metrics.rejected(e instanceof EventsTooLargeException ? "too_large" : "invalid", 1);
            throw e;
        }
        TraceCorrelation.trace(batch.traceId());
        List<NewEvent> prepared = batch.events().stream().map(EventIngest::prepare).toList();
        AppendResult result;
        // Watched from here on: the body is read (a slow upload is the client's pace, not stuck work).
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.INGEST, batch.traceId())) {
            result = store.append(batch.traceId(), prepared);
        } catch (RuntimeException e) {
            metrics.rejected("unavailable", prepared.size());
            throw e;
        }
        metrics.ingested(result.stored());
        return new Receipt(batch.traceId(), result.ids(), prepared.size() - result.stored());
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

    private static NewEvent prepare(TraceEvent e) {
        return new NewEvent(e.eventType(), e.agentId(), e.eventId(), TraceEventJson.write(e));
    }
}
