package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loop guard, third form: one agent making more model calls ({@code llm_call} events with its
 * {@code agent_id}) in one run than a set number. A warning rather than critical: a long task may
 * need many calls, and the other loop guards say what repeats. The alert names the agent's first few
 * calls and the one that passed the limit, not all of them.
 */
final class ModelCallCount {

    /** How many of the agent's calls the alert names: the first ones and the one that passed the limit. */
    static final int EVIDENCE_EVENT_IDS = 10;

    private final int limit;
    private final Map<String, Calls> byAgent = new HashMap<>();

    private static final class Calls {
        final List<String> firstIds = new ArrayList<>();
        int count;
    }

    ModelCallCount(GuardSettings settings) {
        this.limit = settings.modelCallsPerAgent();
    }

    void onEvent(TraceEvent e, OpenAlerts alerts) {
        if (limit == 0 || e.agentId() == null || !EventType.LLM_CALL.wireName().equals(e.eventType())) {
            return;
        }
        Calls calls = byAgent.computeIfAbsent(e.agentId(), k -> new Calls());
        calls.count++;
        if (calls.firstIds.size() < EVIDENCE_EVENT_IDS - 1) {
            calls.firstIds.add(e.id());
        }
        if (calls.count <= limit) {
            return;
        }
        List<String> ids = new ArrayList<>(calls.firstIds);
        ids.add(e.id());
        alerts.raise(RunAlert.raised(AlertKind.LOOP, AlertSeverity.WARNING,
                "agent " + e.agentId() + " made " + calls.count + " model calls in this run (limit " + limit + ")",
                JsonFactories.object()
                        .add("loop", "model_calls")
                        .add("agent", e.agentId())
                        .add("model_calls", calls.count)
                        .add("limit", limit)
                        .build(),
                ids, "loop:model_calls:" + e.agentId(), e.timestamp()));
    }
}
