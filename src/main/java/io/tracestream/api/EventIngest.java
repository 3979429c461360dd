package io.tracestream.api;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.EventBus.AppendResult;
import io.tracestream.stream.EventBus.NewEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/**
 * Storing a request's events: read and check the body, store it all or nothing, answer with the
 * ids. An answer means every event is stored; anything else is an exception (invalid body, store
 * unavailable) and nothing was stored.
 */
@ApplicationScoped
public class EventIngest {

    static final String TRACE_ID_HEADER = "X-Trace-ID";

    @Inject
    TraceStreamConfig config;
    @Inject
    EventBus bus;
    @Inject
    ServiceMetrics metrics;

    private EventBodyReader reader;

    /** The ids of a request's events, in request order, and how many were retries of stored ones. */
    record Answer(String traceId, List<String> ids, int duplicates) {

        /** {@code {"trace_id": ..., "ids": [...], "duplicates": n}}, written by hand: it is on every request's path. */
        String toJson() {
            StringBuilder out = new StringBuilder(40 + ids.size() * 20 + traceId.length());
            out.append("{\"trace_id\":");
            TraceEventJson.quote(out, traceId);
            out.append(",\"ids\":[");
            for (int i = 0; i < ids.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                TraceEventJson.quote(out, ids.get(i));
            }
            return out.append("],\"duplicates\":").append(duplicates).append('}').toString();
        }
    }

    @PostConstruct
    void init() {
        reader = new EventBodyReader(config.maxBodyBytes(), config.maxBatch(), Clock.systemUTC());
    }

    /**
     * @param traceId the trace, or null to take it from the body or mint one
     * @throws InvalidEventsException when the body is not valid (nothing stored)
     * @throws io.tracestream.stream.StoreUnavailableException when the store cannot be reached (nothing stored)
     */
    Answer ingest(InputStream body, String traceId) {
        return store(read(body, traceId));
    }

    private EventBodyReader.Batch read(InputStream body, String traceId) {
        try {
            return reader.read(body, traceId);
        } catch (InvalidEventsException e) {
            metrics.rejected(e instanceof EventBodyReader.TooLargeException ? "too_large" : "invalid", 1);
            throw e;
        }
    }

    private Answer store(EventBodyReader.Batch batch) {
        TraceCorrelation.trace(batch.traceId());
        List<NewEvent> events = batch.events().stream().map(EventIngest::prepare).toList();
        AppendResult result;
        try {
            result = bus.append(batch.traceId(), events);
        } catch (RuntimeException e) {
            metrics.rejected("unavailable", events.size());
            throw e;
        }
        metrics.ingested(result.stored());
        return new Answer(batch.traceId(), result.ids(), events.size() - result.stored());
    }

    private static NewEvent prepare(TraceEvent e) {
        return new NewEvent(e.eventType(), e.agentId(), e.eventId(), TraceEventJson.write(e));
    }
}
