package io.tracestream.store.memory;

import io.tracestream.store.WorkflowActivity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** Running workflows and agent activity of the in-memory backend. */
final class MemoryWorkflowActivity implements WorkflowActivity {

    private final MemoryEventStore bus;
    private final Clock clock;
    private final long ttlMillis;
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final Map<String, Long> agents = new ConcurrentHashMap<>();

    MemoryWorkflowActivity(MemoryEventStore bus, Clock clock, long ttlMillis) {
        this.bus = bus;
        this.clock = clock;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void started(String traceId, long atMillis) {
        running.put(traceId, atMillis);
    }

    @Override
    public OptionalLong ended(String traceId) {
        Long started = running.remove(traceId);
        return started == null ? OptionalLong.empty() : OptionalLong.of(started);
    }

    @Override
    public void agentsSeen(Map<String, Long> lastEventMillisByAgent) {
        lastEventMillisByAgent.forEach((agent, at) -> agents.merge(agent, at, Math::max));
    }

    @Override
    public List<Running> running() {
        List<Running> out = new ArrayList<>();
        running.forEach((traceId, started) -> {
            long last = bus.lastActivity(traceId);
            if (last == 0) {
                running.remove(traceId); // the trace expired
            } else {
                out.add(new Running(traceId, started, last));
            }
        });
        out.sort(Comparator.comparingLong(Running::startedMillis));
        return out;
    }

    @Override
    public Map<String, Long> agentsLastSeen() {
        long oldest = clock.millis() - ttlMillis;
        agents.values().removeIf(at -> at < oldest);
        return Map.copyOf(agents);
    }
}
