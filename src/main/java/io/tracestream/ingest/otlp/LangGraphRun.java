package io.tracestream.ingest.otlp;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Optional;

/**
 * Where a span stands in a LangGraph run, as OpenInference's LangChain instrumentation records it
 * (JavaScript and Python alike): every span of a graph carries the LangChain run's {@code metadata}
 * as JSON text, whose {@code langgraph_checkpoint_ns} (also {@code checkpoint_ns}) names the
 * graph nodes the span runs in, outermost first: {@code researcher:<task id>|tools:<task id>}.
 *
 * <p>The first of them is the top-level node, and in LangGraph's multi-agent patterns a top-level
 * node is an agent: so every span names its agent itself, the moment it arrives, before its parents.
 * The node's own span is the one whose name is that node and whose namespace has no inner node; the
 * graph's root span has no node at all. Everything else of kind {@code CHAIN} in the run (the
 * {@code __start__} step, a prebuilt agent's inner {@code agent} and {@code tools} nodes,
 * {@code RunnableSequence}, {@code prompt}, the {@code RunnableLambda} of a conditional edge) is
 * the framework's plumbing.
 */
record LangGraphRun(String topNode, int depth, String node, String provider) {

    /** Nodes that are LangGraph's own, never an agent. */
    private static boolean isGraphsOwn(String node) {
        return node.equals("__start__") || node.equals("__end__");
    }

    /** The run a LangChain {@code metadata} attribute describes, or empty for a span outside LangGraph. */
    static Optional<LangGraphRun> of(String metadata) {
        if (metadata == null || !metadata.contains("langgraph")) {
            return Optional.empty();
        }
        return JsonText.object(metadata).map(md -> {
            String ns = JsonText.string(md, "langgraph_checkpoint_ns");
            if (ns == null) {
                ns = JsonText.string(md, "checkpoint_ns");
            }
            String top = null;
            int depth = 0;
            if (ns != null && !ns.isEmpty()) {
                String[] levels = ns.split("\\|");
                depth = levels.length;
                int colon = levels[0].indexOf(':');
                top = colon < 0 ? levels[0] : levels[0].substring(0, colon);
            }
            return new LangGraphRun(top == null || top.isEmpty() ? null : top, depth,
                    JsonText.string(md, "langgraph_node"), JsonText.string(md, "ls_provider"));
        });
    }

    /** The agent: the top-level node the span runs in; {@code null} for the graph's root and its own steps. */
    String agent() {
        return topNode == null || isGraphsOwn(topNode) ? null : topNode;
    }

    /** True for a span of the graph itself: its root, with no node. */
    boolean isRoot() {
        return node == null && topNode == null;
    }

    /** True for the span of a top-level node (an agent at work), named after it. */
    boolean isAgentNode(String spanName) {
        return depth == 1 && agent() != null && agent().equals(node) && node.equals(spanName);
    }

    /**
     * Where a LangGraph {@code Command} sends the run next, when the span's output is one (a
     * hand-off tool's return value, under {@code output}, or a node's): its first {@code goto} that
     * names a node, or {@code null}.
     */
    static String commandGoto(String outputValue) {
        if (outputValue == null || !outputValue.contains("\"Command\"")) {
            return null;
        }
        return JsonText.object(outputValue).map(LangGraphRun::commandIn).orElse(null);
    }

    private static String commandIn(JsonObject value) {
        JsonObject command = value;
        if (!"Command".equals(JsonText.string(command, "lg_name")) && value.get("output") instanceof JsonObject inner) {
            command = inner;
        }
        if (!"Command".equals(JsonText.string(command, "lg_name"))) {
            return null;
        }
        JsonValue go = command.get("goto");
        if (go instanceof JsonString s) {
            return isGraphsOwn(s.getString()) ? null : s.getString();
        }
        if (go instanceof JsonArray targets) {
            for (JsonValue target : targets) {
                String node = target instanceof JsonString s ? s.getString()
                        : target instanceof JsonObject send ? JsonText.string(send, "node") : null;
                if (node != null && !isGraphsOwn(node)) {
                    return node;
                }
            }
        }
        return null;
    }
}
