package io.tracestream.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.guards.RunAlert;
import io.tracestream.domain.guards.RunAlertJson;
import io.tracestream.domain.guards.RunGuards;
import io.tracestream.store.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run as this instance's guardian follows it: its guards, how far into its history they have
 * read ({@link #lastId}), the findings stored in that history (so a finding another instance stored
 * first, or this one stored before a restart, is not stored again), and the findings made here and
 * not yet stored.
 */
final class RunWatch {

    /** Enough recent events to name the agent of any alert, whose events are the latest few. */
    private static final int AGENTS_KEPT = 256;

    final String traceId;
    final RunGuards guards;
    /** The id of the last event of the history the guards have read; {@code null} before the first. */
    String lastId;
    /** When the run last had an event, on this instance's clock. */
    Instant activeAt;
    /** The open findings last counted for the gauge. */
    int openCounted;

    private final Set<String> storedAlertIds = new HashSet<>();
    private final List<RunAlert> found = new ArrayList<>();
    private final Map<String, String> agentOfEvent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > AGENTS_KEPT;
        }
    };

    RunWatch(String traceId, RunGuards guards, Instant now) {
        this.traceId = traceId;
        this.guards = guards;
        this.activeAt = now;
    }

    /**
     * Takes in the next event of the history. Returns the finding when the event is one (an
     * {@code alert} stored by this instance or another), else {@code null}.
     */
    RunAlert read(StoredEvent e, Instant now) {
        lastId = e.id();
        if (EventType.ALERT.equals(e.eventType())) {
            RunAlert stored = RunAlertJson.read(JsonFactories.readObject(e.json()));
            storedAlertIds.add(RunAlertJson.eventId(stored));
            guards.onStoredAlert(stored);
            return stored;
        }
        activeAt = now;
        agentOfEvent.put(e.id(), e.agentId());
        found.addAll(guards.onEvent(TraceEventJson.readStored(e.json())));
        return null;
    }

    /** Findings of a tick. */
    void ticked(List<RunAlert> alerts) {
        found.addAll(alerts);
    }

    /** The findings made here that the history does not hold yet, in order; cleared. */
    List<RunAlert> takeFound() {
        if (found.isEmpty()) {
            return List.of();
        }
        List<RunAlert> out = found.stream().filter(a -> !storedAlertIds.contains(RunAlertJson.eventId(a))).toList();
        found.clear();
        return out;
    }

    /** A finding that could not be stored (the store is down): tried again with the next. */
    void notStored(List<RunAlert> alerts) {
        found.addAll(0, alerts);
    }

    /** The agent of the latest event the finding names, when it is among the recent events. */
    String agentOf(RunAlert alert) {
        List<String> ids = alert.eventIds();
        for (int i = ids.size() - 1; i >= 0; i--) {
            String agent = agentOfEvent.get(ids.get(i));
            if (agent != null) {
                return agent;
            }
        }
        return null;
    }
}
