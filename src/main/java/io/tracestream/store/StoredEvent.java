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

    /**
     * Which event has ended the trace's workflow once this one is stored, given which had before
     * ({@code null}: none, it runs): this one if it ends the workflow, none if it starts it again
     * ({@code workflow_started} after an end), else the one before. Both stores keep it per trace,
     * so a stream resuming after the end knows the trace has ended without reading its history.
     */
    public String workflowEndAfter(String endBefore) {
        if (endsWorkflow()) {
            return id;
        }
        return EventType.WORKFLOW_STARTED.wireName().equals(eventType) ? null : endBefore;
    }
}
