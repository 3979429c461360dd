package io.tracestream.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * The run guards' metrics: {@code tracestream_run_alerts_total{kind,severity}}, each finding counted
 * once across instances (by the instance that stored it), and {@code tracestream_run_alerts_open},
 * the findings open in the runs this instance watches (every instance watches the same ones: read
 * its {@code max}, not its sum).
 */
@ApplicationScoped
public class RunAlertMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;
    @Inject
    ServiceMetrics metrics;

    private final Map<String, Counter> raised = new ConcurrentHashMap<>();

    /**
     * Makes every series exist from the first scrape, registered before any is scraped: a label
     * value registered while a scrape runs is a race the metrics endpoint need not win.
     */
    public void declare(Iterable<String> kinds, Iterable<String> severities, Supplier<Number> open) {
        for (String kind : kinds) {
            for (String severity : severities) {
                counter(kind, severity);
            }
        }
        metrics.gauge("tracestream_run_alerts_open",
                "Run guards' findings open in the runs this instance watches (the same on every instance: take the max)",
                open);
    }

    /** A finding this instance stored: counted once across instances. */
    public void raised(String kind, String severity) {
        counter(kind, severity).inc();
    }

    private Counter counter(String kind, String severity) {
        return raised.computeIfAbsent(kind + "/" + severity, k -> registry.counter(Metadata.builder()
                .withName("tracestream_run_alerts")
                .withDescription("Run guards' findings raised, by kind (loop, budget, silent, error_burst, too_long) and severity")
                .build(), new Tag("kind", kind), new Tag("severity", severity)));
    }
}
