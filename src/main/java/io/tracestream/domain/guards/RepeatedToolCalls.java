package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loop guard, first form: the same tool called with the same arguments ({@link ToolCallKey}) a set
 * number of times in one run, wherever in the run the calls were and whichever agents made them. A
 * tool called again with other arguments is progress, not a loop, and never counts towards it.
 */
final class RepeatedToolCalls {

    /** The arguments shown in the evidence are cut to this many characters. */
    static final int EVIDENCE_ARGUMENT_CHARS = 500;

    private final int limit;
    /** By {@link ToolCallKey#key()}: the tool and its arguments' fingerprint. */
    private final Map<String, Calls> calls = new HashMap<>();

    private static final class Calls {
        final List<String> eventIds = new ArrayList<>();
        final TreeSet<String> agents = new TreeSet<>();
        int count;
    }

    RepeatedToolCalls(GuardSettings settings) {
        this.limit = settings.sameToolCalls();
    }

    void onEvent(TraceEvent e, OpenAlerts alerts) {
        if (limit == 0 || !EventType.TOOL_CALL.wireName().equals(e.eventType())) {
            return;
        }
        ToolCallKey call = ToolCallKey.of(e);
        if (call == null) {
            return; // arguments unknown: whether it repeats itself cannot be told
        }
        Calls seen = calls.computeIfAbsent(call.key(), k -> new Calls());
        seen.count++;
        if (seen.eventIds.size() < limit) {
            seen.eventIds.add(e.id());
            if (e.agentId() != null) {
                seen.agents.add(e.agentId());
            }
        }
        if (seen.count < limit) {
            return;
        }
        var agents = JsonFactories.array();
        seen.agents.forEach(agents::add);
        alerts.raise(RunAlert.raised(AlertKind.LOOP, AlertSeverity.CRITICAL,
                "tool " + call.tool() + " called " + seen.count + " times with the same arguments (limit " + limit + ")",
                JsonFactories.object()
                        .add("loop", "tool")
                        .add("tool", call.tool())
                        .add("arguments", cut(call.arguments()))
                        .add("arguments_from", call.source())
                        .add("calls", seen.count)
                        .add("limit", limit)
                        .add("agents", agents)
                        .build(),
                seen.eventIds, "loop:tool:" + call.key(), e.timestamp()));
    }

    private static String cut(String text) {
        return text.length() <= EVIDENCE_ARGUMENT_CHARS ? text : text.substring(0, EVIDENCE_ARGUMENT_CHARS) + "…";
    }
}
