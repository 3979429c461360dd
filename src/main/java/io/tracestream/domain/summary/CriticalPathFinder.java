package io.tracestream.domain.summary;

import io.tracestream.domain.summary.CriticalPath.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the critical path through the step tree, working backwards from the end as trace viewers
 * such as Jaeger do: inside a step, the child that ended last is what the step waited for; before
 * that child started, the child that ended last before that moment; and so on, into each chosen
 * child in turn. A failed attempt followed by a retry is therefore on the path: the retry waited
 * for it. Works without recursion, so a deep or cyclic parent chain from a confused producer cannot
 * overflow the stack.
 */
final class CriticalPathFinder {

    /** A stretch of time to explain: the children of {@code owner} (null: the whole trace) within [from, until]. */
    private record Window(Step owner, List<Step> children, Instant from, Instant until, int depth) {}

    private record Placed(Entry entry, int depth) {}

    private CriticalPathFinder() {}

    /** @param steps with open steps' durations already counted up to the moment of the snapshot */
    static CriticalPath find(List<Step> steps, Instant traceStart, Instant traceEnd) {
        if (traceStart == null || traceEnd == null) {
            return new CriticalPath(0, List.of());
        }
        Map<Integer, List<Step>> childrenOf = new HashMap<>();
        List<Step> topLevel = new ArrayList<>();
        for (Step step : steps) {
            if (step.parentIndex() == null) {
                topLevel.add(step);
            } else {
                childrenOf.computeIfAbsent(step.parentIndex(), k -> new ArrayList<>()).add(step);
            }
        }
        List<Placed> placed = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Window> pending = new ArrayDeque<>();
        pending.push(new Window(null, topLevel, traceStart, traceEnd, 0));
        while (!pending.isEmpty()) {
            Window window = pending.pop();
            long waitedOnChildrenMs = 0;
            Instant cursor = window.until();
            for (Step child : latestEndFirst(window)) {
                Instant start = latest(child.startedAt(), window.from());
                Instant end = earliest(endOf(child), window.until());
                if (end.isAfter(cursor) || !visited.add(child.index())) {
                    continue;
                }
                waitedOnChildrenMs += millisBetween(start, end);
                pending.push(new Window(child, childrenOf.getOrDefault(child.index(), List.of()),
                        start, end, window.depth() + 1));
                cursor = start;
            }
            Step step = window.owner();
            if (step != null) {
                long durationMs = millisBetween(window.from(), window.until());
                placed.add(new Placed(new Entry(step.index(), step.agentId(), step.kind(), step.name(),
                        window.from(), durationMs, Math.max(0, durationMs - waitedOnChildrenMs)), window.depth()));
            }
        }
        placed.sort(Comparator.comparing((Placed p) -> p.entry().startedAt())
                .thenComparingInt(Placed::depth)
                .thenComparingInt(p -> p.entry().stepIndex()));
        return new CriticalPath(millisBetween(traceStart, traceEnd),
                placed.stream().map(Placed::entry).toList());
    }

    private static List<Step> latestEndFirst(Window window) {
        List<Step> sorted = new ArrayList<>(window.children());
        sorted.sort(Comparator.comparing((Step s) -> earliest(endOf(s), window.until())).reversed()
                .thenComparingInt(Step::index));
        return sorted;
    }

    static Instant endOf(Step step) {
        return step.endedAt() != null ? step.endedAt() : step.startedAt().plusMillis(step.durationMs());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static long millisBetween(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
