package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import java.util.List;

/**
 * What went wrong in a trace.
 *
 * @param failedSteps   how many steps failed (a retried task that failed once counts once)
 * @param firstFailure  the step that failed first, by the time it failed; {@code null} if none did
 * @param workflowError the error of {@code workflow_failed}, when the workflow failed and said why
 */
public record Failures(int failedSteps, FirstFailure firstFailure, EventError workflowError) {

    /**
     * @param step        the failed step; its {@code error} holds type and message
     * @param callerChain the steps it ran inside, outermost first: who was waiting on it
     */
    public record FirstFailure(Step step, List<Step> callerChain) {}
}
