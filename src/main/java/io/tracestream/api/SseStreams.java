package io.tracestream.api;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.stream.EventBus;
import io.tracestream.domain.summary.TraceSummaryJson;
import io.tracestream.stream.StoredEvent;
import io.tracestream.stream.TraceSummaries;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Every open SSE stream of this instance, by trace. It is the event bus's live listener: each
 * batch of a trace goes to that trace's connections only, and {@link ListStreams} hears which trace
 * changed, for the list streams. It also sends the heartbeats, which
 * keep proxies from closing idle streams and are how a departed client is noticed (a server
 * learns that a client left only when a write fails).
 */
@ApplicationScoped
public class SseStreams implements EventBus.LiveListener {

    private static final Logger LOG = Logger.getLogger(SseStreams.class.getName());
    /**
     * How often a client that was behind is tried again. Short, because a healthy client on a
     * slow link falls behind for moments only; these are the only connections looked at by time.
     */
    private static final java.time.Duration BEHIND_RETRY = java.time.Duration.ofMillis(20);

    @Inject
    TraceStreamConfig config;
    @Inject
    EventBus bus;
    @Inject
    ServiceMetrics metrics;
    @Inject
    TraceSummaries summaries;
    @Inject
    ListStreams lists;

    private final Map<String, Set<SseConnection>> byTrace = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** Connections whose client has not taken what was written yet. */
    private final Set<SseConnection> behind = ConcurrentHashMap.newKeySet();
    private ExecutorService writers;
    private ExecutorService aborts;
    private ScheduledExecutorService heartbeats;
    private SseConnection.Settings settings;
    private final SseConnection.Listener connectionListener = new SseConnection.Listener() {
        @Override
        public void delivered(StoredEvent event, boolean live) {
            metrics.delivered(event.storedAtMillis(), live);
        }

        @Override
        public void overflowed(SseConnection connection) {
            aborts.execute(connection::abortStalled);
        }

        @Override
        public void behind(SseConnection connection) {
            behind.add(connection);
        }

        @Override
        public void closed(SseConnection connection, boolean slowConsumer) {
            unregister(connection);
            if (slowConsumer) {
                metrics.slowConsumerDropped();
            }
        }
    };

    @PostConstruct
    void start() {
        settings = new SseConnection.Settings(config.sseRetry().toMillis(), config.replayPage(), config.maxBuffered(),
                config.maxLifetime().toMillis(), config.maxUnsentBytes(), config.maxUnsentBytes());
        heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("tracestream-sse-heartbeat"));
        writers = Executors.newFixedThreadPool(config.writerThreads(), daemon("tracestream-sse-writer"));
        aborts = Executors.newCachedThreadPool(daemon("tracestream-sse-abort"));
        long period = config.heartbeat().toMillis();
        heartbeats.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        long retry = BEHIND_RETRY.toMillis();
        heartbeats.scheduleWithFixedDelay(this::retryBehind, retry, retry, TimeUnit.MILLISECONDS);
        bus.setLiveListener(this);
        metrics.gauge("tracestream_sse_streams_open", "Open SSE streams on this instance", open::get);
        metrics.gauge("tracestream_sse_streams_max", "The cap on open SSE streams per instance", config::maxConnections);
    }

    /** Created at deployment, so the live listener and the gauges exist before the first stream. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        LOG.fine("SSE streams ready");
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        byTrace.values().forEach(set -> set.forEach(c -> c.close(false)));
        writers.shutdown();
        aborts.shutdown();
    }

    /**
     * Clients that were behind are tried again; one still behind after tracestream.sse.write-timeout
     * has stopped reading and is dropped (it resumes by Last-Event-ID when it comes back).
     */
    private void retryBehind() {
        long now = System.nanoTime();
        long timeout = config.writeTimeout().toNanos();
        for (SseConnection c : behind) {
            behind.remove(c);
            long since = c.behindSince();
            if (c.isClosed() || since == 0) {
                continue;
            }
            if (now - since > timeout) {
                aborts.execute(c::abortStalled);
            } else {
                c.retry();
            }
        }
    }

    /**
     * Opens a stream, or answers {@code false} when this instance holds its maximum already.
     */
    boolean open(String traceId, String resumeAfter, String truncatedFrom, boolean withSummary,
                 Predicate<StoredEvent> filter, SseEventSink sink, TcpConnection tcp) {
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            return false;
        }
        Supplier<Optional<String>> summary = withSummary
                ? () -> summaries.cachedSummary(traceId).map(TraceSummaryJson::write)
                : null;
        SseConnection connection = new SseConnection(traceId, resumeAfter, truncatedFrom, summary, sink, bus,
                writers, filter, settings, connectionListener, tcp);
        // Registered before the history is read, so no live event can fall between the two.
        byTrace.computeIfAbsent(traceId, t -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.start();
        return true;
    }

    /**
     * Takes one of the instance's {@code max-connections} for a stream kept elsewhere (a list
     * stream); false when none is left. {@link #releaseSlot} gives it back.
     */
    boolean reserveSlot() {
        if (open.incrementAndGet() > config.maxConnections()) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseSlot() {
        open.decrementAndGet();
    }

    /** The number of open streams on this instance. */
    public int openCount() {
        return open.get();
    }

    @Override
    public void onEvents(String traceId, List<StoredEvent> events) {
        // First the summary, so a connection sending it after these events finds them folded in.
        summaries.onEvents(traceId, events);
        lists.changed(traceId); // after the summary, which the list's row is rendered from
        Set<SseConnection> connections = byTrace.get(traceId);
        if (connections != null && !connections.isEmpty()) {
            // Encoded once here, whatever the number of subscribers.
            List<LiveEvent> encoded = new ArrayList<>(events.size());
            for (StoredEvent e : events) {
                encoded.add(LiveEvent.of(e));
            }
            for (SseConnection c : connections) {
                c.offer(encoded);
            }
        }
    }

    private void beat() {
        try {
            byTrace.values().forEach(set -> set.forEach(SseConnection::heartbeat));
        } catch (RuntimeException e) {
            LOG.warning("Heartbeat round failed: " + e);
        }
    }

    private void unregister(SseConnection connection) {
        byTrace.computeIfPresent(connection.traceId(), (t, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        open.decrementAndGet();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
