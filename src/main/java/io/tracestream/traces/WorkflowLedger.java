package io.tracestream.traces;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.EventCost;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.ops.TraceCorrelation;
import io.tracestream.ops.WorkflowMetrics;
import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.WorkflowActivity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The workflows as a whole, across instances: hears the store's once-per-event share (each event
 * reaches one instance only), keeps the store's record of running workflows and of each agent's
 * latest event ({@link WorkflowActivity}), and tells the workflow metrics about every workflow,
 * task, tool and LLM event, so that Prometheus sums each event once.
 */
@ApplicationScoped
public class WorkflowLedger implements LiveListener {

    private static final Logger LOG = Logger.getLogger(WorkflowLedger.class.getName());
    /** How often agents' heartbeats go to the store: well under the 60 s an agent-silent alert waits. */
    private static final Duration AGENTS_FLUSH = Duration.ofSeconds(1);
    /** The event types whose fields (times, durations, usage) matter here; the others need no parsing. */
    private static final Set<EventType> COUNTED = EnumSet.of(EventType.WORKFLOW_STARTED, EventType.WORKFLOW_COMPLETED,
            EventType.WORKFLOW_FAILED, EventType.TASK_COMPLETED, EventType.TASK_FAILED, EventType.TOOL_CALL,
            EventType.LLM_CALL);

    @Inject
    EventStore store;
    @Inject
    WorkflowActivity activity;
    @Inject
    WorkflowMetrics metrics;
    @Inject
    TraceStreamConfig config;

    private PriceTable prices;
    /** Agents heard from since the last flush to the store, with their latest event's time. */
    private final Map<String, Long> agentsPending = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    @PostConstruct
    void init() {
        prices = PriceTable.withBundledPrices(config.modelPrices());
        store.subscribe(Share.ONCE_PER_EVENT, this);
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracestream-agent-heartbeats");
            t.setDaemon(true);
            return t;
        });
        long period = AGENTS_FLUSH.toMillis();
        flusher.scheduleWithFixedDelay(this::flushAgentsSeen, period, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        flusher.shutdownNow();
        flushAgentsSeen();
    }

    /** Created at deployment, so counting starts with the first event. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        LOG.fine("Workflow ledger subscribed");
    }

    @Override
    public void onEvents(String traceId, List<StoredEvent> events) {
        for (StoredEvent stored : events) {
            if (EventType.ALERT.equals(stored.eventType())) {
                continue; // the server's finding about a run, not an agent's work: no heartbeat, no count
            }
            try {
                // When the event was stored, not the producer's timestamp: a skewed or replayed
                // producer clock must not make a live agent look silent.
                agentsPending.merge(stored.agentId(), stored.storedAtMillis(), Math::max);
                metrics.agentSeen(stored.agentId());
                EventType type = EventType.fromWireName(stored.eventType()).orElse(null);
                if (type != null && COUNTED.contains(type)) {
                    TraceEvent e = TraceEventJson.readStored(stored.json());
                    TraceCorrelation.event(traceId, e.agentId(), e.eventType());
                    record(traceId, type, e);
                }
            } catch (RuntimeException ex) {
                // One odd event must not stop the counting of the others.
                LOG.log(Level.WARNING, "Could not count event " + stored.id() + " of trace " + traceId, ex);
            }
        }
        TraceCorrelation.clear();
    }

    private void record(String traceId, EventType type, TraceEvent e) {
        switch (type) {
            case WORKFLOW_STARTED -> {
                metrics.workflowStarted();
                activity.started(traceId, e.timestamp().toEpochMilli());
            }
            case WORKFLOW_COMPLETED, WORKFLOW_FAILED -> {
                OptionalLong startedAt = activity.ended(traceId);
                Duration duration = startedAt.isPresent()
                        ? Duration.ofMillis(Math.max(0, e.timestamp().toEpochMilli() - startedAt.getAsLong()))
                        : null;
                metrics.workflowEnded(type == EventType.WORKFLOW_COMPLETED, duration);
            }
            case TASK_FAILED -> metrics.taskEnded(e.agentId(), true, e.durationMs());
            case TASK_COMPLETED -> metrics.taskEnded(e.agentId(), false, e.durationMs());
            case TOOL_CALL -> metrics.toolCall(e.agentId(), e.durationMs());
            case LLM_CALL -> metrics.llmCall(e.agentId(), e.durationMs(), e.model(), e.inputTokens(), e.outputTokens(),
                    EventCost.of(e, prices).orElse(null));
            default -> { }
        }
    }

    /**
     * Writes the agents heard from since the last flush to the store, in one command. Why not per
     * batch: the shared reader hands over each trace's events separately, and one round trip per
     * trace per batch made it fall behind the fan-out stream under load.
     */
    private void flushAgentsSeen() {
        if (agentsPending.isEmpty()) {
            return;
        }
        Map<String, Long> seen = new HashMap<>();
        for (String agent : agentsPending.keySet()) {
            Long at = agentsPending.remove(agent);
            if (at != null) {
                seen.put(agent, at);
            }
        }
        try {
            activity.agentsSeen(seen);
        } catch (RuntimeException e) {
            seen.forEach((agent, at) -> agentsPending.merge(agent, at, Math::max)); // next time
        }
    }
}
