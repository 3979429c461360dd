package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.store.WorkflowActivity;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Metrics about the workflows Trace Stream watches, for alerting on the agents themselves.
 *
 * <p>Counters and histograms are told each event by {@code traces.WorkflowLedger}, which hears the
 * once-per-event share of the store: each event is counted by exactly one instance, so Prometheus
 * sums them across instances. Levels (running, stalled, oldest, agent heartbeats) are read from the
 * store's {@link WorkflowActivity}, identical on every instance: aggregate them with {@code max}.
 */
@ApplicationScoped
public class WorkflowMetrics {

    /** Agents and models are producer-chosen labels: beyond this many, new ones count as "other". */
    static final int MAX_LABEL_VALUES = 500;
    static final String OTHER = "other";
    /** Levels read from the store are reused this long, so a scrape costs at most one read of each. */
    private static final Duration LEVELS_MAX_AGE = Duration.ofSeconds(5);
    private static final String UNKNOWN_MODEL = "unknown";
    private static final String HEARTBEAT_GAUGE = "tracestream_agent_last_event_timestamp_seconds";

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;
    @Inject
    WorkflowActivity activity;
    @Inject
    TraceStreamConfig config;

    private Counter started;
    private Counter completed;
    private Counter failed;
    private Timer workflowDuration;
    private final Set<String> agentLabels = ConcurrentHashMap.newKeySet();
    private final Set<String> modelLabels = ConcurrentHashMap.newKeySet();
    private final Set<String> heartbeats = ConcurrentHashMap.newKeySet();
    private final Map<String, DoubleAdder> costByModel = new ConcurrentHashMap<>();
    // Labelled metrics by label value: looking one up in the registry builds its tags again (a
    // regular-expression check per tag), too slow to do per event.
    private final Map<String, Counter> taskFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> tasksCompleted = new ConcurrentHashMap<>();
    private final Map<String, Timer> stepDurations = new ConcurrentHashMap<>();
    /** By model, a newline, and direction. */
    private final Map<String, Counter> tokensByModel = new ConcurrentHashMap<>();
    private final Cached<List<WorkflowActivity.Running>> running = new Cached<>(LEVELS_MAX_AGE);
    private final Cached<Map<String, Long>> agentsLastSeen = new Cached<>(LEVELS_MAX_AGE);

    @PostConstruct
    void init() {
        started = counter("tracestream_workflows_started", "Workflows started (workflow_started events)");
        completed = counter("tracestream_workflows_completed", "Workflows completed (workflow_completed events)");
        failed = counter("tracestream_workflows_failed", "Workflows failed (workflow_failed events)");
        workflowDuration = registry.timer(Metadata.builder().withName("tracestream_workflow_duration")
                .withDescription("Workflow duration, from workflow_started to its end").withUnit(MetricUnits.SECONDS).build());
        gauge("tracestream_workflows_running", "Workflows started and not yet ended",
                () -> running.get(activity::running).size());
        gauge("tracestream_workflows_stalled", "Running workflows with no event for tracestream.trace.stall-after",
                this::stalledCount);
        gauge("tracestream_oldest_running_workflow_age_seconds", "Age of the oldest running workflow, 0 when none",
                this::oldestAgeSeconds);
    }

    /** Created at deployment, so every metric exists from the first scrape. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        started.getCount();
    }

    public void workflowStarted() {
        started.inc();
    }

    /** @param duration from its start, when the start was known */
    public void workflowEnded(boolean completedOk, Duration duration) {
        (completedOk ? completed : failed).inc();
        if (duration != null) {
            workflowDuration.update(duration);
        }
    }

    /** A task ended; failed and completed ones together give an agent's failure ratio. */
    public void taskEnded(String agentId, boolean failedTask, Long durationMs) {
        String agent = label(agentLabels, agentId);
        if (failedTask) {
            taskCounter(taskFailures, "tracestream_task_failures", "Failed tasks (task_failed events), by agent", agent).inc();
        } else {
            taskCounter(tasksCompleted, "tracestream_tasks_completed", "Completed tasks (task_completed events), by agent",
                    agent).inc();
        }
        stepDuration(agent, durationMs);
    }

    public void toolCall(String agentId, Long durationMs) {
        stepDuration(label(agentLabels, agentId), durationMs);
    }

    /** @param costUsd null when neither reported nor priced */
    public void llmCall(String agentId, Long durationMs, String modelName, Long inputTokens, Long outputTokens,
                        BigDecimal costUsd) {
        stepDuration(label(agentLabels, agentId), durationMs);
        String model = label(modelLabels, modelName == null ? UNKNOWN_MODEL : modelName);
        tokens(model, "input", inputTokens);
        tokens(model, "output", outputTokens);
        if (costUsd != null) {
            costByModel.computeIfAbsent(model, m -> {
                DoubleAdder total = new DoubleAdder();
                // MicroProfile counters count whole numbers; dollars need a fraction, so a gauge reads the sum.
                registry.gauge(Metadata.builder().withName("tracestream_llm_cost_usd_total")
                                .withDescription("LLM cost in USD (cost_usd, else the price table), by model; only rises").build(),
                        total, DoubleAdder::sum, new Tag("model", m));
                return total;
            }).add(costUsd.doubleValue());
        }
    }

    /** An agent was heard from: its heartbeat gauge exists from now on. */
    public void agentSeen(String agentId) {
        String agent = label(agentLabels, agentId);
        if (agent.equals(agentId) && heartbeats.add(agentId)) {
            registry.gauge(Metadata.builder().withName(HEARTBEAT_GAUGE)
                            .withDescription("When each agent's latest event was stored (unix seconds): its heartbeat").build(),
                    FailSafeGauge.of(HEARTBEAT_GAUGE, () -> lastSeenSeconds(agentId)), Supplier::get, new Tag("agent", agentId));
        }
    }

    private void tokens(String model, String direction, Long count) {
        if (count != null) {
            tokensByModel.computeIfAbsent(model + '\n' + direction, k -> registry.counter(Metadata.builder()
                            .withName("tracestream_llm_tokens")
                            .withDescription("LLM tokens, by model and direction (input, output)").build(),
                    new Tag("model", model), new Tag("direction", direction))).inc(count);
        }
    }

    private Counter taskCounter(Map<String, Counter> byAgent, String name, String description, String agent) {
        return byAgent.computeIfAbsent(agent, a -> registry.counter(Metadata.builder().withName(name)
                .withDescription(description).build(), new Tag("agent", a)));
    }

    /** Steps are timed by the duration_ms their end event carries. */
    private void stepDuration(String agent, Long durationMs) {
        if (durationMs != null) {
            stepDurations.computeIfAbsent(agent, a -> registry.timer(Metadata.builder().withName("tracestream_step_duration")
                    .withDescription("Step duration (duration_ms of task_completed, task_failed, llm_call, tool_call), by agent")
                    .withUnit(MetricUnits.SECONDS).build(), new Tag("agent", a)))
                    .update(Duration.ofMillis(durationMs));
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

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    /** A level read from the store when scraped; NaN while the store cannot be read. */
    private void gauge(String name, String description, Supplier<Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                FailSafeGauge.of(name, value), Supplier::get);
    }

    /** A value read from the store, reused for a short while; the last good one when the store fails. */
    private static final class Cached<T> {
        private final long maxAgeMillis;
        private volatile T value;
        private volatile long readAt;

        Cached(Duration maxAge) {
            this.maxAgeMillis = maxAge.toMillis();
        }

        T get(Supplier<T> read) {
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
