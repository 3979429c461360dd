package io.tracestream.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The metrics about Trace Stream itself, served in Prometheus form at {@code /metrics}. Names
 * follow Prometheus conventions; no label carries a trace id, so cardinality stays low.
 */
@ApplicationScoped
public class ServiceMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private Counter ingested;
    private Counter delivered;

    @jakarta.annotation.PostConstruct
    void init() {
        ingested = registry.counter(Metadata.builder().withName("tracestream_events_ingested")
                .withDescription("Events stored (duplicates by event_id not counted)").build());
        delivered = registry.counter(Metadata.builder().withName("tracestream_events_delivered")
                .withDescription("Events written to SSE clients").build());
    }

    public void ingested(long events) {
        ingested.inc(events);
    }

    public void delivered(long events) {
        delivered.inc(events);
    }

    /** Events of requests answered with an error; {@code reason}: invalid, too_large, unavailable. */
    public void rejected(String reason, long events) {
        registry.counter(Metadata.builder().withName("tracestream_events_rejected")
                .withDescription("Events of rejected ingest requests, by reason (a body that could not be read counts as one)")
                .build(), new Tag("reason", reason)).inc(events);
    }

    /** A level read when scraped, such as the number of open streams. */
    public void gauge(String name, String description, Supplier<Number> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                value, Supplier::get);
    }
}
