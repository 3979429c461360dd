package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loop guard, second form: agents handing the work round the same cycle again and again (a planner
 * hands to a coder, the coder hands back, and so on) a set number of times in one run.
 *
 * <p>A hand-off is an {@code agent_transition}, read as the summary reads it: {@code to_agent} names
 * the receiver (the sender is {@code from_agent}, else {@code agent_id}), or {@code from_agent} names
 * the sender (the receiver is {@code agent_id}); one that names neither, or hands to itself, is not
 * counted. ({@code agent_called} is a call, which returns to its caller; nesting is not a loop.)
 *
 * <p>The guard follows the chain of hand-offs; when the work comes back to an agent already on the
 * chain, the agents from there on are one cycle, counted by its agents in order (rotated to start at
 * the first by name, so planner, coder and coder, planner are one cycle), and the chain starts again
 * at that agent. A hand-off from an agent other than the one holding the work starts a new chain.
 * So planner to coder to planner, four times over (eight hand-offs), is the cycle's fourth time.
 */
final class HandoffCycles {

    static final String ATTR_FROM = "from_agent";
    static final String ATTR_TO = "to_agent";
    private static final String CYCLE_SEPARATOR = ">";

    private final int limit;
    private final List<String> chain = new ArrayList<>();
    private final List<String> chainEventIds = new ArrayList<>();
    private final Map<String, Cycle> cycles = new HashMap<>();

    private static final class Cycle {
        final List<String> eventIds = new ArrayList<>();
        int count;
    }

    HandoffCycles(GuardSettings settings) {
        this.limit = settings.handoffCycles();
    }

    void onEvent(TraceEvent e, OpenAlerts alerts) {
        if (limit == 0 || !EventType.AGENT_TRANSITION.wireName().equals(e.eventType())) {
            return;
        }
        String from;
        String to;
        if (e.attributes().get(ATTR_TO) instanceof String receiver) {
            to = receiver;
            from = e.attributes().get(ATTR_FROM) instanceof String sender ? sender : e.agentId();
        } else if (e.attributes().get(ATTR_FROM) instanceof String sender) {
            from = sender;
            to = e.agentId();
        } else {
            return;
        }
        if (from == null || to == null || from.equals(to)) {
            return;
        }
        if (chain.isEmpty() || !chain.get(chain.size() - 1).equals(from)) {
            chain.clear();
            chainEventIds.clear();
            chain.add(from);
        }
        chainEventIds.add(e.id());
        int back = chain.indexOf(to);
        if (back < 0) {
            chain.add(to);
            return;
        }
        List<String> agents = new ArrayList<>(chain.subList(back, chain.size()));
        List<String> ids = new ArrayList<>(chainEventIds.subList(back, chainEventIds.size()));
        chain.clear();
        chainEventIds.clear();
        chain.add(to);
        Collections.rotate(agents, -agents.indexOf(Collections.min(agents)));
        String name = String.join(CYCLE_SEPARATOR, agents);
        Cycle cycle = cycles.computeIfAbsent(name, k -> new Cycle());
        cycle.count++;
        if (cycle.count <= limit) {
            cycle.eventIds.addAll(ids);
        }
        if (cycle.count < limit) {
            return;
        }
        var agentArray = JsonFactories.array();
        agents.forEach(agentArray::add);
        alerts.raise(RunAlert.raised(AlertKind.LOOP, AlertSeverity.CRITICAL,
                "agents handed the work round " + String.join(" > ", agents) + " > " + agents.get(0) + " "
                        + cycle.count + " times (limit " + limit + ")",
                JsonFactories.object()
                        .add("loop", "handoff")
                        .add("cycle", agentArray)
                        .add("cycles", cycle.count)
                        .add("limit", limit)
                        .build(),
                cycle.eventIds, "loop:handoff:" + name, e.timestamp()));
    }
}
