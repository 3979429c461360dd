package io.tracestream.domain.summary;

import java.util.List;
import java.util.Locale;

/**
 * Who called whom. Nodes are agents; an edge is one or more calls or hand-offs from one agent to
 * another.
 *
 * @param nodes agents in the order they were first seen, each with its depth
 * @param edges in the order each was first seen
 * @param depth the deepest node's depth: 3 for a chain of three agents
 */
public record DependencyGraph(List<Node> nodes, List<Edge> edges, int depth) {

    /**
     * @param depth 1 for a root (an agent nobody called, or the agent that started the workflow),
     *              else 1 + the depth of the shallowest agent that called it or handed work to it
     */
    public record Node(String agentId, int depth) {}

    /** @param count distinct calls (or hand-offs); see {@link TraceSummarizer} for what counts once */
    public record Edge(String from, String to, EdgeKind kind, int count) {}

    public enum EdgeKind {
        CALL,
        HANDOFF;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
