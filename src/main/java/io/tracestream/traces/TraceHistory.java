package io.tracestream.traces;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** A trace's stored events, read whole, a page at a time, for the pages that show them all. */
@ApplicationScoped
public class TraceHistory {

    @Inject
    EventStore store;
    @Inject
    TraceStreamConfig config;
    @Inject
    InFlightWork work;

    /** Every stored event of the trace, oldest first; empty for an unknown trace. */
    public List<StoredEvent> all(String traceId) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ, traceId)) {
            return read(traceId);
        }
    }

    private List<StoredEvent> read(String traceId) {
        List<StoredEvent> all = new ArrayList<>();
        int page = config.replayPage();
        String after = null;
        while (true) {
            List<StoredEvent> batch = store.read(traceId, after, page);
            all.addAll(batch);
            if (batch.size() < page) {
                return all;
            }
            after = batch.get(batch.size() - 1).id();
        }
    }
}
