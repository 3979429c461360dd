package io.tracestream.store;

/**
 * An event ready to be stored: its JSON without {@code id}, the fields stream filters need, and
 * the content of its call (JSON, or {@code null}), stored beside it.
 */
public record NewEvent(String eventType, String agentId, String eventId, String json, String content) {

    /** An event whose call said nothing (most events). */
    public NewEvent(String eventType, String agentId, String eventId, String json) {
        this(eventType, agentId, eventId, json, null);
    }
}
