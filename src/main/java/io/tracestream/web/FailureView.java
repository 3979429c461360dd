package io.tracestream.web;

import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.summary.Failures;
import io.tracestream.domain.summary.Step;
import java.time.Instant;
import java.util.List;

/**
 * The failure panel: the first failed step, who was waiting on it (outermost first), its error,
 * and the workflow's own error. Flattened here so the template only prints.
 *
 * @param agentId {@code null} when no step failed
 * @param error   the first failed step's error, {@code null} when it gave none
 * @param workflowError the workflow's own error, {@code null} when it gave none
 */
public record FailureView(String agentId, String step, String kind, String at, ErrorText error, List<Link> callers,
                          int failedSteps, ErrorText workflowError) {

    /** One caller in the chain. */
    public record Link(String agentId, String step) {}

    /**
     * An error with its parts kept apart, each shown as it came: the type as a heading, the
     * message, and the stack trace (often several KB) folded away under it.
     */
    public record ErrorText(String type, String message, String stacktrace) {

        static ErrorText of(EventError e) {
            return e == null ? null : new ErrorText(e.type(), e.message(), e.stacktrace());
        }
    }

    static FailureView of(Failures f, Instant traceStart) {
        ErrorText workflowError = ErrorText.of(f.workflowError());
        if (f.firstFailure() == null) {
            return new FailureView(null, null, null, null, null, List.of(), f.failedSteps(), workflowError);
        }
        Step s = f.firstFailure().step();
        return new FailureView(s.agentId(), name(s), s.kind().wireName(), Formats.INSTANCE.offset(s.endedAt(), traceStart),
                ErrorText.of(s.error()),
                f.firstFailure().callerChain().stream().map(c -> new Link(agentLabel(c.agentId()), name(c))).toList(),
                f.failedSteps(), workflowError);
    }

    public boolean any() {
        return agentId != null || workflowError != null;
    }

    private static String name(Step s) {
        return s.name() != null ? s.name() : s.kind().wireName();
    }

    /** A caller may be a placeholder whose agent is not known yet. */
    private static String agentLabel(String agentId) {
        return agentId == null ? TimelineView.UNKNOWN_AGENT_LABEL : agentId;
    }
}
