package io.tracestream.store;

import java.util.List;

/** Receives live events from the store, each trace's in history order. */
@FunctionalInterface
public interface LiveListener {

    /** Called from the store's delivery thread; must not block. */
    void onEvents(String traceId, List<StoredEvent> events);

    /** This listener, then {@code next}: how one share reaches several receivers. */
    default LiveListener andThen(LiveListener next) {
        return (traceId, events) -> {
            onEvents(traceId, events);
            next.onEvents(traceId, events);
        };
    }
}
