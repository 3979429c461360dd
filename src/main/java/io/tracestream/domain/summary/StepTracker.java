package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent.EventError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps of one trace while it is being folded: which are open, which span is which, who
 * encloses whom. A key (span id, else task id) names at most one open step at a time; once that
 * step ends the key may open a new one, which is how a retry that reuses its task id shows up.
 */
final class StepTracker {

    /** A step under construction. */
    static final class TrackedStep {
        final int index;
        final StepKind kind;
        final String key;
        final String name;
        final String agentId;
        final String spanId;
        final String taskId;
        final String parentSpanId;
        final String model;
        final Instant startedAt;
        final boolean startInferred;
        /** See {@link Step#plumbing()}. */
        final String plumbing;
        /** Its agent is the service standing in for an agent not known yet. */
        final boolean standIn;
        TrackedStep parent;
        Instant endedAt;
        StepOutcome outcome = StepOutcome.OPEN;
        EventError error;
        /** The {@code status} of the event that ended it. */
        String status;
        /** Its agent got this work by a hand-off, not by a call: the hand-off is its edge in the graph. */
        boolean handedOver;
        /** An agent's work begins here (an {@code agent_called} announced its span): it says nothing of whose work encloses it. */
        boolean agentEntry;

        TrackedStep(int index, StepKind kind, String key, String name, String agentId, String spanId,
                    String taskId, String parentSpanId, String model, Instant startedAt, boolean startInferred,
                    String plumbing, boolean standIn) {
            this.index = index;
            this.kind = kind;
            this.key = key;
            this.name = name;
            this.agentId = agentId;
            this.spanId = spanId;
            this.taskId = taskId;
            this.parentSpanId = parentSpanId;
            this.model = model;
            this.startedAt = startedAt;
            this.startInferred = startInferred;
            this.plumbing = plumbing;
            this.standIn = standIn;
        }
    }

    /** What a new step is, before it has an index. */
    record NewStep(StepKind kind, String key, String name, String agentId, String spanId, String taskId,
                   String parentSpanId, String model, Instant startedAt, boolean startInferred, String plumbing,
                   boolean standIn) {}

    private final List<TrackedStep> steps = new ArrayList<>();
    private final Map<String, TrackedStep> openByKey = new HashMap<>();
    private final Set<String> finishedKeys = new HashSet<>();
    private final Map<String, TrackedStep> latestBySpan = new HashMap<>();
    private final Map<String, Deque<TrackedStep>> openTasksByAgent = new HashMap<>();

    /**
     * Opens a step. Its parent is the step of its parent span; a call (LLM or tool) that names no
     * parent belongs to the task its agent opened most recently and has not finished.
     */
    TrackedStep open(NewStep s) {
        TrackedStep step = new TrackedStep(steps.size(), s.kind(), s.key(), s.name(), s.agentId(), s.spanId(),
                s.taskId(), s.parentSpanId(), s.model(), s.startedAt(), s.startInferred(), s.plumbing(), s.standIn());
        step.parent = s.parentSpanId() != null ? latestBySpan.get(s.parentSpanId())
                : s.kind() == StepKind.TASK ? null : innermostOpenTask(s.agentId());
        steps.add(step);
        if (s.spanId() != null && s.kind() == StepKind.TASK) {
            latestBySpan.put(s.spanId(), step);
        } else if (s.spanId() != null) {
            // A call reusing its task's span id must not hide the task from the task's children.
            latestBySpan.putIfAbsent(s.spanId(), step);
        }
        if (s.key() != null) {
            openByKey.put(s.key(), step);
        }
        if (s.kind() == StepKind.TASK) {
            openTasksByAgent.computeIfAbsent(s.agentId(), a -> new ArrayDeque<>()).push(step);
        }
        return step;
    }

    void finish(TrackedStep step, Instant at, StepOutcome outcome, EventError error, String status) {
        step.endedAt = at;
        step.outcome = outcome;
        step.error = error;
        step.status = status;
        if (step.key != null) {
            openByKey.remove(step.key, step);
            finishedKeys.add(step.key);
        }
        Deque<TrackedStep> open = openTasksByAgent.get(step.agentId);
        if (open != null) {
            open.remove(step);
        }
    }

    TrackedStep openStep(String key) {
        return openByKey.get(key);
    }

    boolean hasFinished(String key) {
        return finishedKeys.contains(key);
    }

    TrackedStep bySpan(String spanId) {
        return spanId == null ? null : latestBySpan.get(spanId);
    }

    private TrackedStep innermostOpenTask(String agentId) {
        Deque<TrackedStep> open = openTasksByAgent.get(agentId);
        return open == null ? null : open.peek();
    }

    /** The step whose span is {@code spanId}, the task when a call shares its span: a parent of other steps. */
    TrackedStep parentBySpan(String spanId) {
        return spanId == null ? null : latestBySpan.get(spanId);
    }

    /**
     * The steps as records. Open steps are counted as lasting until {@code openUntil}. A parent
     * span reported after its child (odd, but it happens with buffered producers) is linked here;
     * a parent span not reported at all gets a placeholder step, after all reported ones.
     */
    /** @param handOffsUnder when the first hand-off under each span began ({@link ModelCallTime}) */
    List<Step> snapshot(Instant openUntil, Map<String, Instant> handOffsUnder) {
        Map<String, Placeholder> placeholders = placeholders();
        Map<TrackedStep, Instant> modelEnds = ModelCallTime.ends(steps, handOffsUnder);
        List<Step> result = new ArrayList<>(steps.size() + placeholders.size());
        for (TrackedStep t : steps) {
            TrackedStep parent = t.parent != null ? t.parent : latestBySpan.get(t.parentSpanId == null ? "" : t.parentSpanId);
            Integer parentIndex = parent == null || parent == t ? null : Integer.valueOf(parent.index);
            if (parent == null && t.parentSpanId != null) {
                parentIndex = placeholders.get(t.parentSpanId).index;
            }
            Instant endedAt = modelEnds.getOrDefault(t, t.endedAt);
            Instant end = endedAt != null ? endedAt : openUntil;
            result.add(new Step(t.index, t.kind, t.name, t.agentId, t.spanId, t.taskId, t.parentSpanId,
                    parentIndex, t.startedAt, endedAt, millisBetween(t.startedAt, end), t.outcome, t.error, t.model,
                    t.startInferred, false, t.plumbing));
        }
        for (Placeholder p : placeholders.values()) {
            result.add(new Step(p.index, StepKind.TASK, null, p.agentId(), p.spanId, null, null, null, p.startedAt, null,
                    millisBetween(p.startedAt, openUntil), StepOutcome.OPEN, null, null, true, true, null));
        }
        return List.copyOf(result);
    }

    /** A parent span that steps named but none reported. */
    private static final class Placeholder {
        final String spanId;
        Instant startedAt;
        int index;
        /** The agents its children name (stand-ins, and agents whose own work begins in it, left out). */
        final Set<String> childAgents = new HashSet<>();

        Placeholder(String spanId, Instant startedAt) {
            this.spanId = spanId;
            this.startedAt = startedAt;
        }

        /** Whose work it is: the agent its children name, when they agree. */
        String agentId() {
            return childAgents.size() == 1 ? childAgents.iterator().next() : null;
        }
    }

    /**
     * One placeholder per parent span no step reported, numbered by start, then span id: not by
     * which child came first, so the numbering does not depend on the order spans arrived in.
     */
    private Map<String, Placeholder> placeholders() {
        Map<String, Placeholder> bySpan = new HashMap<>();
        for (TrackedStep t : steps) {
            if (t.parent == null && t.parentSpanId != null && !latestBySpan.containsKey(t.parentSpanId)) {
                Placeholder p = bySpan.computeIfAbsent(t.parentSpanId, id -> new Placeholder(id, t.startedAt));
                if (t.startedAt.isBefore(p.startedAt)) {
                    p.startedAt = t.startedAt;
                }
                if (!t.standIn && !t.agentEntry && t.agentId != null) {
                    p.childAgents.add(t.agentId);
                }
            }
        }
        List<Placeholder> ordered = new ArrayList<>(bySpan.values());
        ordered.sort(Comparator.comparing((Placeholder p) -> p.startedAt).thenComparing(p -> p.spanId));
        Map<String, Placeholder> numbered = new LinkedHashMap<>();
        for (Placeholder p : ordered) {
            p.index = steps.size() + numbered.size();
            numbered.put(p.spanId, p);
        }
        return numbered;
    }

    private static long millisBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
