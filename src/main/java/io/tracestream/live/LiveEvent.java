package io.tracestream.live;

import io.tracestream.store.StoredEvent;

/** A live event and its SSE block, encoded once per instance and shared by every stream of its trace. */
record LiveEvent(StoredEvent event, byte[] sse) {

    static LiveEvent of(StoredEvent event) {
        return new LiveEvent(event, SseFrame.of(event));
    }
}
