package io.tracestream.live;

import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import io.tracestream.traces.TraceSummaries;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The store's one live listener on this instance: the new events of every trace this instance's
 * clients stream ({@link TraceStreams} watches them), stored by any instance, come here a trace's
 * batch at a time and in order, and are handed on, in this order, to the summaries (so what
 * follows reads them current) and to the trace's streams. It runs on the store's delivery
 * thread, so nothing here blocks: streams queue, and live ones write at once (a write never
 * blocks, see {@code SseChannel}).
 */
@ApplicationScoped
public class LiveDispatcher implements LiveListener {

    @Inject
    EventStore store;
    @Inject
    TraceSummaries summaries;
    @Inject
    TraceStreams traces;

    @PostConstruct
    void subscribe() {
        store.subscribe(Share.WATCHED_TRACES, this);
    }

    /** Created at deployment, so live delivery runs before the first stream opens. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // creating the bean subscribes it
    }

    @Override
    public void onEvents(String traceId, List<StoredEvent> events) {
        summaries.onEvents(traceId, events);
        traces.deliver(traceId, events);
    }
}
