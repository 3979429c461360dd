package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import java.time.Instant;

/**
 * One span of work in a trace: a task, or one LLM or tool call.
 *
 * @param index        position in {@link TraceSummary#steps()}, in the order steps were first
 *                     reported; the step's identity inside a summary (span and task ids may repeat)
 * @param parentIndex  index of the enclosing step, or {@code null} for a top-level step or one
 *                     whose parent was never reported
 * @param name         the task id, the model of an LLM call, the tool of a tool call
 * @param endedAt      {@code null} while open
 * @param durationMs   for an open step, the time it has been open so far
 * @param error        what went wrong, when the producer said; {@code null} otherwise
 * @param startInferred true when no start event was seen: the start was taken from
 *                     {@code duration_ms}, or is the end itself when that was absent too (or,
 *                     for a placeholder, from its earliest child)
 * @param placeholder  true when this step stands for a parent span that has not arrived: some
 *                     step named it as parent and no step reported it. It is an open task with no
 *                     name and no agent ({@code null}), from its earliest child's start; its
 *                     {@code spanId} is the awaited span. Placeholders come after every reported
 *                     step; once the span's events arrive, the real step takes their place. Its
 *                     {@code agentId} is the agent its children name, when they all name the same one
 *                     (that agent is at work in it); else {@code null}.
 * @param plumbing     the framework whose own step this is ({@code langgraph}, {@code langchain},
 *                     {@code openai-agents}, {@code mastra}, {@code model_chunk}), or {@code null} for
 *                     real work: such steps are folded into the work around them (left out of the
 *                     failures, the critical path and the agents' task counts, and hidden on the page
 *                     until unfolded)
 */
public record Step(
        int index,
        StepKind kind,
        String name,
        String agentId,
        String spanId,
        String taskId,
        String parentSpanId,
        Integer parentIndex,
        Instant startedAt,
        Instant endedAt,
        long durationMs,
        StepOutcome outcome,
        EventError error,
        String model,
        boolean startInferred,
        boolean placeholder,
        String plumbing) {

    public boolean isOpen() {
        return outcome == StepOutcome.OPEN;
    }

    /** True for a framework's own step, folded into the work around it. */
    public boolean isPlumbing() {
        return plumbing != null;
    }
}
