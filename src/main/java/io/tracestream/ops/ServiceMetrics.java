package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.StoreStats;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The metrics about Trace Stream itself, served in Prometheus form at {@code /metrics}. Names
 * follow Prometheus conventions; no label carries a trace id, so cardinality stays low. docs/operations.md
 * ("Metrics") lists each one; {@code alerting/} builds alerts on them.
 */
@ApplicationScoped
public class ServiceMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;
    @Inject
    StoreHealth store;
    @Inject
    StoreStats storeStats;
    @Inject
    InFlightWork work;
    @Inject
    DeadlockedThreads deadlocks;
    @Inject
    TraceStreamConfig config;

    private Counter ingested;
    private Counter delivered;
    private Counter slowConsumersDropped;
    private Counter redacted;
    private Timer deliveryLatency;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> otlpSpans = new ConcurrentHashMap<>();
    private final Map<String, Counter> authFailures = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        ingested = counter("tracestream_events_ingested", "Events stored (duplicates by event_id not counted)");
        delivered = counter("tracestream_events_delivered", "Events written to SSE clients");
        slowConsumersDropped = counter("tracestream_sse_slow_consumers_dropped",
                "SSE clients disconnected because they fell more than tracestream.sse.max-buffered behind");
        redacted = counter("tracestream_content_redactions",
                "Secrets replaced by [REDACTED] in what producers sent, before it was stored (tracestream.content.redact)");
        Counter redisErrors = counter("tracestream_redis_errors", "Redis commands that failed or timed out");
        Counter claimed = counter("tracestream_consumer_claimed",
                "Fan-out entries claimed again after their reader died before acknowledging them (XAUTOCLAIM)");
        storeStats.onError(() -> redisErrors.inc());
        storeStats.onClaimed(claimed::inc);
        deliveryLatency = registry.timer(Metadata.builder().withName("tracestream_delivery_latency")
                .withDescription("From an event being stored to its being written to a live SSE client")
                .withUnit(MetricUnits.SECONDS).build());
        gauge("tracestream_redis_up", "1 when the event store answers and its reader runs (always 1 in memory)",
                () -> store.isAvailable() ? 1 : 0);
        gauge("tracestream_consumer_pending", "Fan-out entries the shared workflows group read but has not acknowledged yet",
                storeStats::pending);
        gauge("tracestream_consumer_lag", "Fan-out entries the shared workflows group has not read yet", storeStats::lag);
        // The watchdog's two reasons for not ready (WatchdogCheck), for the alert that pages.
        Duration stuckAfter = config.stuckAfter();
        gauge("tracestream_work_stuck", "Units of ingest or read work in progress longer than tracestream.health.stuck-after",
                () -> work.stuck(stuckAfter));
        gauge("tracestream_deadlocked_threads", "Threads of the JVM deadlocked on monitors or locks",
                deadlocks::count);
    }

    /** Created at deployment, so every metric exists from the first scrape. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        ingested.getCount();
    }

    public void redacted(long secrets) {
        redacted.inc(secrets);
    }

    public void ingested(long events) {
        ingested.inc(events);
    }

    /** An event written to a client; {@code live} when it was new, not replayed history. */
    public void delivered(long storedAtMillis, boolean live) {
        delivered.inc();
        if (live) {
            deliveryLatency.update(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - storedAtMillis)));
        }
    }

    public void slowConsumerDropped() {
        slowConsumersDropped.inc();
    }

    /** Events of requests answered with an error; {@code reason}: invalid, too_large, unavailable. */
    public void rejected(String reason, long events) {
        rejected.computeIfAbsent(reason, r -> registry.counter(Metadata.builder().withName("tracestream_events_rejected")
                .withDescription("Events of rejected ingest requests, by reason (a body that could not be read counts as one)")
                .build(), new Tag("reason", r))).inc(events);
    }

    /** The spans of an OTLP export: those stored, and those rejected (named in its partial success). */
    public void otlpSpans(long accepted, long rejectedSpans) {
        otlpSpans.computeIfAbsent("accepted", this::otlpCounter).inc(accepted);
        otlpSpans.computeIfAbsent("rejected", this::otlpCounter).inc(rejectedSpans);
    }

    private Counter otlpCounter(String outcome) {
        return registry.counter(Metadata.builder().withName("tracestream_otlp_spans")
                .withDescription("OpenTelemetry spans received on /v1/traces, by outcome: accepted (stored) or rejected "
                        + "(named in the export's partial success)").build(), new Tag("outcome", outcome));
    }

    /**
     * A request refused by access control; {@code reason}: missing, unknown_key, scope, prefix,
     * network, rate_limited, too_many_streams, throttled. {@code count} 0 only makes the series exist.
     */
    public void authFailure(String reason, long count) {
        authFailures.computeIfAbsent(reason, r -> registry.counter(Metadata.builder()
                .withName("tracestream_auth_failures")
                .withDescription("Requests refused by access control, by reason (401, 403 or 429)")
                .build(), new Tag("reason", r))).inc(count);
    }

    /** A level read when scraped, such as the number of open streams; NaN when it cannot be read. */
    public void gauge(String name, String description, Supplier<Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                FailSafeGauge.of(name, value), Supplier::get);
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }
}
