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
 */
public record FailureView(String agentId, String step, String kind, String at, String errorType,
                          String errorMessage, List<Link> callers, int failedSteps, String workflowError) {

    /** One caller in the chain. */
    public record Link(String agentId, String step) {}

    static FailureView of(Failures f, Instant traceStart) {
        String workflowError = text(f.workflowError());
        if (f.firstFailure() == null) {
            return new FailureView(null, null, null, null, null, null, List.of(), f.failedSteps(), workflowError);
        }
        Step s = f.firstFailure().step();
        EventError e = s.error();
        return new FailureView(s.agentId(), name(s), s.kind().wireName(), Formats.INSTANCE.offset(s.endedAt(), traceStart),
                e == null ? null : e.type(), e == null ? null : e.message(),
                f.firstFailure().callerChain().stream().map(c -> new Link(c.agentId(), name(c))).toList(),
                f.failedSteps(), workflowError);
    }

    public boolean any() {
        return agentId != null || workflowError != null;
    }

    private static String name(Step s) {
        return s.name() != null ? s.name() : s.kind().wireName();
    }

    private static String text(EventError e) {
        if (e == null) {
            return null;
        }
        if (e.type() == null || e.message() == null) {
            return e.type() != null ? e.type() : e.message();
        }
        return e.type() + ": " + e.message();
    }
}
