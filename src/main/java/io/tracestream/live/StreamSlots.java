package io.tracestream.live;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.ops.ServiceMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's cap on open streams ({@code tracestream.sse.max-connections}), shared by trace
 * streams and list streams: each takes a slot when it opens and gives it back when it ends.
 */
@ApplicationScoped
public class StreamSlots {

    @Inject
    TraceStreamConfig config;
    @Inject
    ServiceMetrics metrics;

    private final AtomicInteger open = new AtomicInteger();
    private int max;

    @PostConstruct
    void init() {
        max = config.maxConnections();
        metrics.gauge("tracestream_sse_streams_open", "Open SSE streams on this instance", open::get);
        metrics.gauge("tracestream_sse_streams_max", "The cap on open SSE streams per instance", () -> max);
    }

    /** Created at deployment, so the gauges exist before the first stream. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        open.get();
    }

    /** Takes a slot; false when the instance holds its maximum already. */
    boolean take() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        open.decrementAndGet();
    }

    /** The most streams this instance holds at once. */
    public int max() {
        return max;
    }

    /** The number of open streams on this instance. */
    public int openCount() {
        return open.get();
    }
}
