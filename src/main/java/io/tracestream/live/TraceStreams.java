package io.tracestream.live;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.domain.summary.TraceSummaryJson;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import io.tracestream.traces.TraceSummaries;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Every open stream of a trace on this instance ({@code GET /traces/{trace_id}/stream}), by trace.
 * The dispatcher hands it each live batch, which goes to that trace's streams only, encoded once
 * for all of them. It also sends the heartbeats, which keep proxies from closing idle streams and
 * are how a departed client is noticed (a server learns that a client left only when a write
 * fails), and it tries again, shortly, the streams whose client was behind.
 */
@ApplicationScoped
public class TraceStreams {

    private static final Logger LOG = Logger.getLogger(TraceStreams.class.getName());
    /**
     * How often a client that was behind is tried again. Short, because a healthy client on a
     * slow link falls behind for moments only; these are the only streams looked at by time.
     */
    private static final Duration BEHIND_RETRY = Duration.ofMillis(20);
    /**
     * How long a new stream waits for its trace to be watched before it replays the history
     * anyway. Why: a client must never be left with nothing (a late client of a finished trace
     * needs the history and the end, not the live feed), and the store's watch may take long (Redis
     * subscribes one channel at a time and retries). A live event stored meanwhile is not lost:
     * once the subscription is made, the trace's newest event is delivered, and the stream reads
     * the gap it shows from the history (EventStore#watch).
     */
    private static final Duration WATCH_PATIENCE = Duration.ofSeconds(2);

    @Inject
    TraceStreamConfig config;
    @Inject
    EventStore store;
    @Inject
    ServiceMetrics metrics;
    @Inject
    TraceSummaries summaries;
    @Inject
    StreamSlots slots;

    private final Map<String, Set<TraceStream>> byTrace = new ConcurrentHashMap<>();
    /** What to run when a stream ends, besides giving its slot back (such as its key's stream count). */
    private final Map<TraceStream, Runnable> onEnd = new ConcurrentHashMap<>();
    /** Streams whose client has not taken what was written yet. */
    private final Set<TraceStream> behind = ConcurrentHashMap.newKeySet();
    private ExecutorService writers;
    private ExecutorService aborts;
    private ScheduledExecutorService timer;
    private StreamSettings settings;
    private final TraceStream.Listener streamListener = new TraceStream.Listener() {
        @Override
        public void delivered(StoredEvent event, boolean live) {
            metrics.delivered(event.storedAtMillis(), live);
        }

        @Override
        public void overflowed(TraceStream stream) {
            aborts.execute(stream::abortStalled);
        }

        @Override
        public void behind(TraceStream stream) {
            behind.add(stream);
        }

        @Override
        public void settleLater(TraceStream stream, long delayMillis) {
            timer.schedule(stream::settle, delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void closed(TraceStream stream, boolean slowConsumer) {
            unregister(stream);
            if (slowConsumer) {
                metrics.slowConsumerDropped();
            }
        }
    };

    @PostConstruct
    void start() {
        settings = StreamSettings.of(config);
        timer = Executors.newSingleThreadScheduledExecutor(daemon("tracestream-sse-heartbeat"));
        writers = Executors.newFixedThreadPool(config.writerThreads(), daemon("tracestream-sse-writer"));
        aborts = Executors.newCachedThreadPool(daemon("tracestream-sse-abort"));
        long period = config.heartbeat().toMillis();
        timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        long retry = BEHIND_RETRY.toMillis();
        timer.scheduleWithFixedDelay(this::retryBehind, retry, retry, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        byTrace.values().forEach(set -> set.forEach(s -> s.close(false)));
        writers.shutdown();
        aborts.shutdown();
    }

    /**
     * Opens a stream of a trace, or answers {@code false} when this instance holds its maximum of
     * streams already.
     *
     * @param resumeAfter   the last event id the client has, or null for the whole history
     * @param truncatedFrom the oldest id kept, when events after {@code resumeAfter} were trimmed; else null
     * @param workflowEnd   the event that ended the trace's workflow, as the store's head says; null while it runs
     * @param withSummary   also send the trace's summary after the replay and after each batch
     * @param withContent   each event with stored content carries it whole, in {@code content.full}
     * @param endBy         when the client's credential expires ({@link Instant#MAX}: never); the stream ends then
     * @param ended         runs once when the stream ends (gives a key's stream slot back)
     */
    public boolean open(String traceId, String resumeAfter, String truncatedFrom, String workflowEnd, boolean withSummary,
                        boolean withContent, Predicate<StoredEvent> filter, StreamClient client, Instant endBy,
                        Runnable ended) {
        if (!slots.take()) {
            return false;
        }
        Supplier<Optional<String>> summary = null;
        if (withSummary) {
            Supplier<Optional<TraceSummary>> current = summaries.forStream(traceId);
            summary = () -> current.get().map(TraceSummaryJson::write);
        }
        TraceStream stream = new TraceStream(traceId, resumeAfter, truncatedFrom, workflowEnd, summary, client, store,
                writers, filter, settings, endBy, Clock.systemUTC(), streamListener);
        if (withContent) {
            stream.includeFullContent();
        }
        onEnd.put(stream, ended);
        byTrace.computeIfAbsent(traceId, t -> ConcurrentHashMap.newKeySet()).add(stream);
        stream.followClient();
        // The history is read once the trace is watched, so no live event can fall between the two;
        // a copy of the store's answer, which is shared by the trace's streams, is what may time out.
        CompletableFuture<Void> watched = store.watch(traceId).toCompletableFuture();
        watched.thenApply(watching -> watching)
                .completeOnTimeout(null, WATCH_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .thenRun(stream::start);
        watched.whenComplete((watching, failure) -> {
            if (failure != null) {
                stream.close(false); // the store is unreachable: the client reconnects (EventSource does)
            }
        });
        return true;
    }

    /** A live batch of one trace: queued on that trace's streams, encoded once for all of them. */
    void deliver(String traceId, List<StoredEvent> events) {
        Set<TraceStream> streams = byTrace.get(traceId);
        if (streams == null || streams.isEmpty()) {
            return;
        }
        List<LiveEvent> encoded = new ArrayList<>(events.size());
        for (StoredEvent e : events) {
            encoded.add(LiveEvent.of(e));
        }
        for (TraceStream s : streams) {
            s.deliver(encoded);
        }
    }

    /**
     * Clients that were behind are tried again; one still behind after tracestream.sse.write-timeout
     * has stopped reading and is dropped (it resumes by Last-Event-ID when it comes back).
     */
    private void retryBehind() {
        long now = System.nanoTime();
        long timeout = TimeUnit.MILLISECONDS.toNanos(settings.writeTimeoutMillis());
        for (TraceStream s : behind) {
            behind.remove(s);
            long since = s.behindSince();
            if (s.isClosed() || since == 0) {
                continue;
            }
            if (now - since > timeout) {
                aborts.execute(s::abortStalled);
            } else {
                s.retry();
            }
        }
    }

    private void beat() {
        try {
            byTrace.values().forEach(set -> set.forEach(TraceStream::heartbeat));
        } catch (RuntimeException e) {
            LOG.warning("Heartbeat round failed: " + e);
        }
    }

    private void unregister(TraceStream stream) {
        byTrace.computeIfPresent(stream.traceId(), (t, set) -> {
            set.remove(stream);
            return set.isEmpty() ? null : set;
        });
        store.unwatch(stream.traceId());
        slots.release();
        Runnable ended = onEnd.remove(stream);
        if (ended != null) {
            ended.run();
        }
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
