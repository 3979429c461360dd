package io.tracestream.store;

/** An event ready to be stored: its JSON without {@code id}, and the fields stream filters need. */
public record NewEvent(String eventType, String agentId, String eventId, String json) {}
