package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import java.time.Instant;

/** The running counts of one agent, updated as events arrive; read out as an {@link AgentSummary}. */
final class AgentTally {

    final String agentId;
    final Instant firstSeenAt;
    Instant lastEventAt;
    String lastEventType;
    int timesCalled;
    int tasks;
    int llmCalls;
    int toolCalls;
    EventError lastError;
    StepOutcome lastFinishedOutcome;

    AgentTally(String agentId, Instant firstSeenAt) {
        this.agentId = agentId;
        this.firstSeenAt = firstSeenAt;
    }

    void reported(String eventType, Instant at) {
        lastEventAt = at;
        lastEventType = eventType;
    }

    void finished(StepOutcome outcome, EventError error) {
        lastFinishedOutcome = outcome;
        if (outcome == StepOutcome.FAILED && error != null) {
            lastError = error;
        }
    }

    AgentSummary summarize(boolean workflowEnded, boolean workflowFailed, boolean hasOpenStep, long busyMs) {
        return new AgentSummary(agentId, state(workflowEnded, workflowFailed, hasOpenStep), firstSeenAt,
                lastEventAt, lastEventType, timesCalled, tasks, llmCalls, toolCalls, busyMs, lastError);
    }

    private AgentState state(boolean workflowEnded, boolean workflowFailed, boolean hasOpenStep) {
        boolean lastStepFailed = lastFinishedOutcome == StepOutcome.FAILED;
        if (!workflowEnded) {
            return hasOpenStep ? AgentState.WORKING : lastStepFailed ? AgentState.FAILED : AgentState.IDLE;
        }
        return lastStepFailed || (workflowFailed && hasOpenStep) ? AgentState.FAILED : AgentState.DONE;
    }
}
