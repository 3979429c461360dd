package io.tracestream.api;

import io.tracestream.stream.StoredEvent;

/** A live event and its SSE block, encoded once per instance and shared by every subscriber of its trace. */
record LiveEvent(StoredEvent event, byte[] sse) {

    static LiveEvent of(StoredEvent event) {
        return new LiveEvent(event, SseFrame.event(event.id(), null, event.json()));
    }
}
