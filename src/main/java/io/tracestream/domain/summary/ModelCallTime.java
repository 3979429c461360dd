package io.tracestream.domain.summary;

import io.tracestream.domain.summary.StepTracker.TrackedStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a model took to answer, where its span says more than that. Some frameworks end a model
 * call's span only after the tools its answer asked for have run, a sub-agent included, so a 0.6 s
 * answer drew as a 2.3 s bar and the critical path blamed the model for the sub-agent's time:
 * <ul>
 * <li>Google ADK hangs the tools under the model call ({@code call_llm}), its hand-off tool
 *     ({@code transfer_to_agent}) too, and ends the call after the agent it handed off to: the model
 *     had answered when the first of them started.</li>
 * <li>Mastra sends the answer in pieces, each a span of its own ({@code model_chunk}, folded into the
 *     call), and the tools beside the call, in the same turn: the model had answered when its last
 *     piece ended ({@code status} ok: the zero-length echoes of tool results that follow are not the
 *     model's), and in any case before the first tool of the turn started.</li>
 * </ul>
 */
final class ModelCallTime {

    private ModelCallTime() {}

    /**
     * The model calls whose end comes before their span's end, with that end.
     *
     * @param handOffsUnder when the first hand-off under each span began (a hand-off makes no step)
     */
    static Map<TrackedStep, Instant> ends(List<TrackedStep> steps, Map<String, Instant> handOffsUnder) {
        Map<String, List<TrackedStep>> bySpanParent = new HashMap<>();
        boolean anyCall = false;
        for (TrackedStep t : steps) {
            if (t.parentSpanId != null) {
                bySpanParent.computeIfAbsent(t.parentSpanId, p -> new ArrayList<>()).add(t);
            }
            anyCall |= t.kind == StepKind.LLM_CALL;
        }
        Map<TrackedStep, Instant> ends = new HashMap<>();
        if (!anyCall || (bySpanParent.isEmpty() && handOffsUnder.isEmpty())) {
            return ends;
        }
        for (TrackedStep call : steps) {
            if (call.kind != StepKind.LLM_CALL || call.endedAt == null || call.spanId == null) {
                continue;
            }
            Instant answered = lastPieceOfAnswer(call, bySpanParent);
            Instant handOff = handOffsUnder.get(call.spanId);
            if (handOff != null && handOff.isAfter(call.startedAt) && (answered == null || handOff.isBefore(answered))) {
                answered = handOff;
            }
            List<TrackedStep> tools = new ArrayList<>();
            for (TrackedStep child : bySpanParent.getOrDefault(call.spanId, List.of())) {
                if (child.kind == StepKind.TOOL_CALL) {
                    tools.add(child);
                }
            }
            if (answered != null && call.parentSpanId != null) {
                tools.addAll(bySpanParent.getOrDefault(call.parentSpanId, List.of()));
            }
            for (TrackedStep tool : tools) {
                if (tool.kind == StepKind.TOOL_CALL && tool.startedAt.isAfter(call.startedAt)
                        && (answered == null || tool.startedAt.isBefore(answered))) {
                    answered = tool.startedAt;
                }
            }
            if (answered != null && answered.isBefore(call.endedAt) && !answered.isBefore(call.startedAt)) {
                ends.put(call, answered);
            }
        }
        return ends;
    }

    /** When the last piece of the call's answer ended, or {@code null} when it was not sent in pieces. */
    private static Instant lastPieceOfAnswer(TrackedStep call, Map<String, List<TrackedStep>> bySpanParent) {
        Instant last = null;
        for (TrackedStep chunk : bySpanParent.getOrDefault(call.spanId, List.of())) {
            if (TraceSummarizer.PLUMBING_MODEL_CHUNK.equals(chunk.plumbing) && chunk.endedAt != null
                    && "ok".equals(chunk.status) && (last == null || chunk.endedAt.isAfter(last))) {
                last = chunk.endedAt;
            }
        }
        return last;
    }
}
