package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import java.util.Set;

/**
 * Which events are a failed step, as the summary counts them: a {@code task_failed}; a model or
 * tool call that carries an {@code error}; any step event whose {@code status} is {@code failed}
 * or {@code error}. The workflow's own end ({@code workflow_failed}) is not a step: it ends the run.
 */
final class FailedStep {

    static final Set<String> FAILED_STATUSES = Set.of("failed", "error");
    private static final Set<String> CALLS = Set.of(EventType.LLM_CALL.wireName(), EventType.TOOL_CALL.wireName());

    private FailedStep() {}

    static boolean is(TraceEvent e) {
        if (e.eventType() == null || e.endsWorkflow()) {
            return false;
        }
        return EventType.TASK_FAILED.wireName().equals(e.eventType())
                || (e.error() != null && CALLS.contains(e.eventType()))
                || (e.status() != null && FAILED_STATUSES.contains(e.status()));
    }

    /** What failed, for a person: {@code tool search: TimeoutError: no answer in 30 s}. */
    static String describe(TraceEvent e) {
        String what = e.attributes().get(ToolCallKey.ATTR_TOOL) instanceof String tool ? "tool " + tool
                : e.taskId() != null ? e.taskId() : e.eventType();
        if (e.error() == null) {
            return what + ": " + (e.status() != null ? e.status() : "failed");
        }
        String type = e.error().type();
        String message = e.error().message();
        return what + ": " + (type != null && message != null ? type + ": " + message
                : type != null ? type : message != null ? message : "failed");
    }
}
