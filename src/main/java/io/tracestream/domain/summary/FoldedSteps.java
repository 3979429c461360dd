package io.tracestream.domain.summary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The steps with frameworks' own steps folded away ({@link Step#plumbing()}): each remaining step's
 * parent is its nearest enclosing step that is real work. The failures and the critical path are
 * read from this view, so a LangGraph run's failure is called by its agent, not by a
 * {@code RunnableSequence}, and the path runs through agents, model calls and tools.
 */
final class FoldedSteps {

    private FoldedSteps() {}

    static List<Step> of(List<Step> steps) {
        List<Step> out = new ArrayList<>(steps.size());
        for (Step step : steps) {
            if (step.isPlumbing()) {
                continue;
            }
            Integer parent = realParent(step, steps);
            out.add(Objects.equals(parent, step.parentIndex()) ? step : withParent(step, parent));
        }
        return out;
    }

    /** The nearest enclosing step that is not plumbing; stops at a cycle a confused producer may have made. */
    private static Integer realParent(Step step, List<Step> steps) {
        Set<Integer> seen = new HashSet<>();
        seen.add(step.index());
        Integer parent = step.parentIndex();
        while (parent != null && seen.add(parent)) {
            Step enclosing = steps.get(parent);
            if (!enclosing.isPlumbing()) {
                return parent;
            }
            parent = enclosing.parentIndex();
        }
        return null;
    }

    private static Step withParent(Step s, Integer parentIndex) {
        return new Step(s.index(), s.kind(), s.name(), s.agentId(), s.spanId(), s.taskId(), s.parentSpanId(), parentIndex,
                s.startedAt(), s.endedAt(), s.durationMs(), s.outcome(), s.error(), s.model(), s.startInferred(),
                s.placeholder(), s.plumbing());
    }
}
