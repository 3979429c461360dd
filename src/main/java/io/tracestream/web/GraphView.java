package io.tracestream.web;

import io.tracestream.domain.summary.AgentSummary;
import io.tracestream.domain.summary.DependencyGraph;
import io.tracestream.domain.summary.TraceSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent dependency graph laid out for SVG: a column per call depth, agents stacked in the
 * order first seen. Deliberately simple, and mirrored by {@code trace.js}, so the server-rendered
 * and live drawings agree to the pixel.
 */
public record GraphView(int width, int height, List<Node> nodes, List<Edge> edges) {

    static final int NODE_W = 168;
    static final int NODE_H = 44;
    static final int COL_GAP = 72;
    static final int ROW_GAP = 18;
    static final int PAD = 12;
    static final int MAX_LABEL = 20;

    public record Node(String agentId, String label, String state, String detail, int x, int y) {}

    public record Edge(String from, String to, String kind, int count, String path, int labelX, int labelY) {}

    static GraphView of(TraceSummary s) {
        Map<String, AgentSummary> agents = new HashMap<>();
        s.agents().forEach(a -> agents.put(a.agentId(), a));
        Map<Integer, Integer> rowsPerDepth = new HashMap<>();
        Map<String, Node> byId = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        int maxDepth = 0;
        int maxRows = 0;
        for (DependencyGraph.Node n : s.graph().nodes()) {
            int row = rowsPerDepth.merge(n.depth(), 1, Integer::sum) - 1;
            maxDepth = Math.max(maxDepth, n.depth());
            maxRows = Math.max(maxRows, row + 1);
            AgentSummary a = agents.get(n.agentId());
            String state = a == null ? "idle" : a.state().wireName();
            Node node = new Node(n.agentId(), label(n.agentId()), state, detail(a, state),
                    PAD + n.depth() * (NODE_W + COL_GAP), PAD + row * (NODE_H + ROW_GAP));
            nodes.add(node);
            byId.put(n.agentId(), node);
        }
        List<Edge> edges = new ArrayList<>();
        for (DependencyGraph.Edge e : s.graph().edges()) {
            Node from = byId.get(e.from());
            Node to = byId.get(e.to());
            if (from == null || to == null) {
                continue;
            }
            int x1 = from.x() + NODE_W;
            int y1 = from.y() + NODE_H / 2;
            int x2 = to.x();
            int y2 = to.y() + NODE_H / 2;
            int bend = Math.max(36, Math.abs(x2 - x1) / 2);
            String path = "M" + x1 + " " + y1 + " C" + (x1 + bend) + " " + y1 + " " + (x2 - bend) + " " + y2 + " " + x2 + " " + y2;
            edges.add(new Edge(e.from(), e.to(), e.kind().wireName(), e.count(), path, (x1 + x2) / 2, (y1 + y2) / 2 - 4));
        }
        int width = PAD * 2 + (maxDepth + 1) * NODE_W + maxDepth * COL_GAP;
        int height = PAD * 2 + Math.max(1, maxRows) * NODE_H + Math.max(0, maxRows - 1) * ROW_GAP;
        return new GraphView(width, height, nodes, edges);
    }

    static String label(String agentId) {
        return agentId.length() <= MAX_LABEL ? agentId : agentId.substring(0, MAX_LABEL - 1) + "…";
    }

    private static String detail(AgentSummary a, String state) {
        if (a == null) {
            return state;
        }
        int work = a.tasks() + a.llmCalls() + a.toolCalls();
        return state + " · " + work + (work == 1 ? " step" : " steps");
    }
}
