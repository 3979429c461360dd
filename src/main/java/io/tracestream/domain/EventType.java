package io.tracestream.domain;

import java.util.Optional;

/**
 * The event types Trace Stream understands. Producers may send others: an unknown type is stored
 * and streamed as it is, because producers move faster than servers.
 */
public enum EventType {
    WORKFLOW_STARTED,
    WORKFLOW_COMPLETED,
    WORKFLOW_FAILED,
    AGENT_CALLED,
    TASK_STARTED,
    TASK_COMPLETED,
    TASK_FAILED,
    AGENT_TRANSITION,
    LLM_CALL,
    TOOL_CALL,
    MESSAGE;

    /**
     * The type of the events Trace Stream itself stores in a trace: a run guard's finding, raised
     * or resolved (see {@code domain.guards}). Never accepted from producers, so an {@code alert}
     * in a history is always the server's.
     */
    public static final String ALERT = "alert";

    /** The name on the wire: {@code task_started}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True for the types after which nothing more is expected in a trace. */
    public static boolean endsWorkflow(String wireName) {
        return WORKFLOW_COMPLETED.wireName().equals(wireName) || WORKFLOW_FAILED.wireName().equals(wireName);
    }

    public static Optional<EventType> fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
