package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.StoredEvent;
import io.tracestream.stream.WorkflowActivity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Metrics about the workflows Trace Stream watches, for alerting on the agents themselves.
 *
 * <p>Counters and histograms are fed from the once-per-event share of the fan-out stream
 * ({@link EventBus#setWorkListener}): each event is counted by exactly one instance, so Prometheus
 * sums them across instances. Levels (running, stalled, oldest, agent heartbeats) are read from
 * the store, identical on every instance: aggregate them with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class WorkflowMetrics implements EventBus.LiveListener {

    private static final Logger LOG = Logger.getLogger(WorkflowMetrics.class.getName());
    /** Agents and models are producer-chosen labels: beyond this many, new ones count as "other". */
    static final int MAX_LABEL_VALUES = 500;
    static final String OTHER = "other";
    /** Levels read from the store are reused this long, so a scrape costs at most one read of each. */
    private static final Duration LEVELS_MAX_AGE = Duration.ofSeconds(5);
    /** How often agents' heartbeats go to the store: well under the 60 s an agent-silent alert waits. */
    private static final Duration AGENTS_FLUSH = Duration.ofSeconds(1);
    /** The event types whose fields (times, durations, usage) feed a metric; the others need no parsing. */
    private static final Set<EventType> COUNTED = EnumSet.of(EventType.WORKFLOW_STARTED, EventType.WORKFLOW_COMPLETED,
            EventType.WORKFLOW_FAILED, EventType.TASK_COMPLETED, EventType.TASK_FAILED, EventType.TOOL_CALL,
            EventType.LLM_CALL);

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;
    @Inject
    EventBus bus;
    @Inject
    TraceStreamConfig config;

    private Counter started;
    private Counter completed;
    private Counter failed;
    private PriceTable prices;
    private WorkflowActivity activity;
    private final Set<String> agentLabels = ConcurrentHashMap.newKeySet();
    private final Set<String> modelLabels = ConcurrentHashMap.newKeySet();
    private final Set<String> heartbeats = ConcurrentHashMap.newKeySet();
    private final Map<String, DoubleAdder> costByModel = new ConcurrentHashMap<>();
    /** Agents heard from since the last flush to the store, with their latest event's time. */
    private final Map<String, Long> agentsPending = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;
    // Labelled metrics by label value: looking one up in the registry builds its tags again (a
    // regular-expression check per tag), too slow to do per event.
    private final Map<String, Counter> taskFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> tasksCompleted = new ConcurrentHashMap<>();
    private final Map<String, org.eclipse.microprofile.metrics.Timer> stepDurations = new ConcurrentHashMap<>();
    /** By model, a newline, and direction. */
    private final Map<String, Counter> tokensByModel = new ConcurrentHashMap<>();
    private final Cached<List<WorkflowActivity.Running>> running = new Cached<>(LEVELS_MAX_AGE);
    private final Cached<Map<String, Long>> agentsLastSeen = new Cached<>(LEVELS_MAX_AGE);

    @PostConstruct
    void init() {
        prices = PriceTable.parse(config.modelPrices());
        activity = bus.workflowActivity();
        started = counter("tracestream_workflows_started", "Workflows started (workflow_started events)");
        completed = counter("tracestream_workflows_completed", "Workflows completed (workflow_completed events)");
        failed = counter("tracestream_workflows_failed", "Workflows failed (workflow_failed events)");
        gauge("tracestream_workflows_running", "Workflows started and not yet ended",
                () -> running.get(activity::running).size());
        gauge("tracestream_workflows_stalled", "Running workflows with no event for tracestream.trace.stall-after",
                this::stalledCount);
        gauge("tracestream_oldest_running_workflow_age_seconds", "Age of the oldest running workflow, 0 when none",
                this::oldestAgeSeconds);
        bus.setWorkListener(this);
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
        started.getCount();
    }

    @Override
    public void onEvents(String traceId, List<StoredEvent> events) {
        for (StoredEvent stored : events) {
            try {
                // When the event was stored, not the producer's timestamp: a skewed or replayed
                // producer clock must not make a live agent look silent.
                agentsPending.merge(stored.agentId(), stored.storedAtMillis(), Math::max);
                registerHeartbeat(stored.agentId());
                EventType type = EventType.fromWireName(stored.eventType()).orElse(null);
                if (type != null && COUNTED.contains(type)) {
                    TraceEvent e = TraceEventJson.readStored(stored.json());
                    TraceCorrelation.event(traceId, e.agentId(), e.eventType());
                    count(traceId, type, e);
                }
            } catch (RuntimeException ex) {
                // One odd event must not stop the counting of the others.
                LOG.log(Level.WARNING, "Could not count event " + stored.id() + " of trace " + traceId, ex);
            }
        }
        TraceCorrelation.clear();
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

    private void count(String traceId, EventType type, TraceEvent e) {
        String agent = label(agentLabels, e.agentId());
        switch (type) {
            case WORKFLOW_STARTED -> {
                started.inc();
                activity.started(traceId, e.timestamp().toEpochMilli());
            }
            case WORKFLOW_COMPLETED, WORKFLOW_FAILED -> {
                (type == EventType.WORKFLOW_COMPLETED ? completed : failed).inc();
                OptionalLong startedAt = activity.ended(traceId);
                if (startedAt.isPresent()) {
                    timer("tracestream_workflow_duration", "Workflow duration, from workflow_started to its end")
                            .update(Duration.ofMillis(Math.max(0, e.timestamp().toEpochMilli() - startedAt.getAsLong())));
                }
            }
            case TASK_FAILED -> {
                taskCounter(taskFailures, "tracestream_task_failures", "Failed tasks (task_failed events), by agent", agent).inc();
                stepDuration(agent, e);
            }
            case TASK_COMPLETED -> {
                // The failure ratio's other half: failed / (failed + completed) needs every task end counted.
                taskCounter(tasksCompleted, "tracestream_tasks_completed", "Completed tasks (task_completed events), by agent",
                        agent).inc();
                stepDuration(agent, e);
            }
            case TOOL_CALL -> stepDuration(agent, e);
            case LLM_CALL -> {
                stepDuration(agent, e);
                usage(e);
            }
            default -> { }
        }
    }

    private Counter taskCounter(Map<String, Counter> byAgent, String name, String description, String agent) {
        return byAgent.computeIfAbsent(agent, a -> registry.counter(Metadata.builder().withName(name)
                .withDescription(description).build(), new Tag("agent", a)));
    }

    /** Steps are timed by the duration_ms their end event carries. */
    private void stepDuration(String agent, TraceEvent e) {
        if (e.durationMs() != null) {
            stepDurations.computeIfAbsent(agent, a -> registry.timer(Metadata.builder().withName("tracestream_step_duration")
                    .withDescription("Step duration (duration_ms of task_completed, task_failed, llm_call, tool_call), by agent")
                    .withUnit(MetricUnits.SECONDS).build(), new Tag("agent", a)))
                    .update(Duration.ofMillis(e.durationMs()));
        }
    }

    private void usage(TraceEvent e) {
        String model = label(modelLabels, Optional.ofNullable(e.model()).orElse("unknown"));
        for (String direction : new String[] {"input", "output"}) {
            Long tokens = direction.equals("input") ? e.inputTokens() : e.outputTokens();
            if (tokens != null) {
                tokensByModel.computeIfAbsent(model + '\n' + direction, k -> registry.counter(Metadata.builder()
                                .withName("tracestream_llm_tokens")
                                .withDescription("LLM tokens, by model and direction (input, output)").build(),
                        new Tag("model", model), new Tag("direction", direction))).inc(tokens);
            }
        }
        BigDecimal cost = e.costUsd();
        if (cost == null && e.model() != null) {
            cost = prices.priceOf(e.model())
                    .map(p -> p.costOf(Optional.ofNullable(e.inputTokens()).orElse(0L), Optional.ofNullable(e.outputTokens()).orElse(0L)))
                    .orElse(null);
        }
        if (cost != null) {
            costByModel.computeIfAbsent(model, m -> {
                DoubleAdder total = new DoubleAdder();
                // MicroProfile counters count whole numbers; dollars need a fraction, so a gauge reads the sum.
                registry.gauge(Metadata.builder().withName("tracestream_llm_cost_usd_total")
                                .withDescription("LLM cost in USD (cost_usd, else the price table), by model; only rises").build(),
                        total, DoubleAdder::sum, new Tag("model", m));
                return total;
            }).add(cost.doubleValue());
        }
    }

    private void registerHeartbeat(String agentId) {
        String agent = label(agentLabels, agentId);
        if (agent.equals(agentId) && heartbeats.add(agentId)) {
            registry.gauge(Metadata.builder().withName("tracestream_agent_last_event_timestamp_seconds")
                            .withDescription("When each agent's latest event was stored (unix seconds): its heartbeat").build(),
                    this, m -> m.lastSeenSeconds(agentId), new Tag("agent", agentId));
        }
    }

    private double lastSeenSeconds(String agentId) {
        Long at = agentsLastSeen.get(activity::agentsLastSeen).get(agentId);
        return at == null ? Double.NaN : at / 1000.0;
    }

    private long stalledCount() {
        long cutoff = System.currentTimeMillis() - config.stallAfter().toMillis();
        return running.get(activity::running).stream().filter(r -> r.lastEventMillis() < cutoff).count();
    }

    private double oldestAgeSeconds() {
        List<WorkflowActivity.Running> all = running.get(activity::running);
        return all.isEmpty() ? 0 : (System.currentTimeMillis() - all.get(0).startedMillis()) / 1000.0;
    }

    private static String label(Set<String> seen, String value) {
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= MAX_LABEL_VALUES) {
            return OTHER;
        }
        seen.add(value);
        return value;
    }

    private org.eclipse.microprofile.metrics.Timer timer(String name, String description) {
        return registry.timer(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.SECONDS).build());
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    private void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value,
                java.util.function.Supplier::get);
    }

    /** A value read from the store, reused for a short while; the last good one when the store fails. */
    private static final class Cached<T> {
        private final long maxAgeMillis;
        private volatile T value;
        private volatile long readAt;

        Cached(Duration maxAge) {
            this.maxAgeMillis = maxAge.toMillis();
        }

        T get(java.util.function.Supplier<T> read) {
            long now = System.currentTimeMillis();
            if (value == null || now - readAt > maxAgeMillis) {
                try {
                    value = read.get();
                    readAt = now;
                } catch (RuntimeException e) {
                    if (value == null) {
                        throw e;
                    }
                }
            }
            return value;
        }
    }
}
