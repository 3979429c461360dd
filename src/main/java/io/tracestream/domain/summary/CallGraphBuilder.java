package io.tracestream.domain.summary;

import io.tracestream.domain.summary.DependencyGraph.Edge;
import io.tracestream.domain.summary.DependencyGraph.EdgeKind;
import io.tracestream.domain.summary.DependencyGraph.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects caller-to-callee edges as events arrive and works out depths on demand. One call is
 * often reported twice (an {@code agent_called} or {@code agent_transition} event, and then the
 * callee's task naming the caller's span as parent): both name the callee's span, so the first
 * report with a given span id counts and later ones are the same call.
 */
final class CallGraphBuilder {

    private record EdgeKey(String from, String to, EdgeKind kind) {}

    private final Map<EdgeKey, Integer> counts = new LinkedHashMap<>();
    private final Set<String> countedCalleeSpans = new HashSet<>();

    /**
     * @param calleeSpanId the span of the work the call started, when known; {@code null} counts
     *                     every report as a call of its own
     */
    void add(String from, String to, EdgeKind kind, String calleeSpanId) {
        if (from == null || to == null || from.equals(to)) {
            return;
        }
        if (calleeSpanId != null && !countedCalleeSpans.add(calleeSpanId)) {
            return;
        }
        counts.merge(new EdgeKey(from, to, kind), 1, Integer::sum);
    }

    /**
     * @param agents     every agent of the trace in first-seen order
     * @param rootAgent  the agent that started the workflow, or {@code null}: always a root
     */
    DependencyGraph snapshot(List<String> agents, String rootAgent) {
        Map<String, List<String>> callees = new HashMap<>();
        Set<String> called = new HashSet<>();
        List<Edge> edges = new ArrayList<>();
        counts.forEach((key, count) -> {
            edges.add(new Edge(key.from(), key.to(), key.kind(), count));
            callees.computeIfAbsent(key.from(), k -> new ArrayList<>()).add(key.to());
            called.add(key.to());
        });
        Map<String, Integer> depths = shallowestDepths(agents, rootAgent, callees, called);
        List<Node> nodes = new ArrayList<>();
        int deepest = 0;
        for (String agent : agents) {
            int depth = depths.getOrDefault(agent, 1);
            nodes.add(new Node(agent, depth));
            deepest = Math.max(deepest, depth);
        }
        return new DependencyGraph(List.copyOf(nodes), List.copyOf(edges), deepest);
    }

    /** Breadth-first from the roots, so cycles (A calls B calls A) cannot loop. */
    private static Map<String, Integer> shallowestDepths(
            List<String> agents, String rootAgent, Map<String, List<String>> callees, Set<String> called) {
        Map<String, Integer> depths = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        if (rootAgent != null) {
            depths.put(rootAgent, 1);
            queue.add(rootAgent);
        }
        for (String agent : agents) {
            if (!called.contains(agent) && depths.putIfAbsent(agent, 1) == null) {
                queue.add(agent);
            }
        }
        if (queue.isEmpty() && !agents.isEmpty()) {
            // Everyone was called by someone (a cycle): the first agent seen started it.
            depths.put(agents.get(0), 1);
            queue.add(agents.get(0));
        }
        while (!queue.isEmpty()) {
            String agent = queue.remove();
            for (String callee : callees.getOrDefault(agent, List.of())) {
                if (!depths.containsKey(callee)) {
                    depths.put(callee, depths.get(agent) + 1);
                    queue.add(callee);
                }
            }
        }
        return depths;
    }
}
