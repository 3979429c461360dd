package io.tracestream.store;

import io.tracestream.domain.EntryId;
import io.tracestream.domain.EventType;

/**
 * An event as stored: its id in the trace, the fields that stream filters look at, and its JSON
 * (with {@code id}), rendered once and shared by every subscriber.
 *
 * @param previousId the id of the event before it in the same trace, or {@code null} when it is
 *                   the first; lets a subscriber prove it missed nothing
 */
public record StoredEvent(String id, String previousId, String traceId, String eventType,
                          String agentId, String json) {

    /** When the store accepted the event, in epoch milliseconds: ids start with it. */
    public long storedAtMillis() {
        return EntryId.millis(id);
    }

    /** True for the event types after which nothing more is expected in the trace. */
    public boolean endsWorkflow() {
        return EventType.endsWorkflow(eventType);
    }
}
