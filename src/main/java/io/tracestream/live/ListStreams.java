package io.tracestream.live;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.store.EventStore;
import io.tracestream.traces.TraceRows;
import io.tracestream.traces.TraceRows.RowJson;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Every open list stream of this instance ({@code GET /traces} as {@code text/event-stream}), and
 * the coalescing that keeps them cheap. While any is open, {@link #LOOKS_PER_INTERVAL} times per
 * {@code tracestream.sse.list-interval} the store's index of traces by last activity is asked which
 * traces changed since the last look; their rows are rendered, each once and encoded once whatever
 * the number of clients, and handed to the streams whose filter wants them. A trace's row goes out
 * at most once per interval ({@link RowPacer}): a busy trace costs one row per interval, not one
 * per event, and a new trace shows within a look. An instance hears of every trace's changes
 * without receiving every event (it receives the events of the traces its clients stream only, see
 * {@code EventStore.watch}).
 *
 * <p>One thread per instance asks, renders and writes; nothing here reads the store per connection.
 */
@ApplicationScoped
public class ListStreams {

    /** The named event carrying one trace's row. */
    static final String ROW_EVENT = "trace";
    /**
     * Looks for changed traces per list interval. Why more than one: a trace changed just after a
     * look would otherwise wait a whole interval to show; each look is one read of the trace index.
     */
    static final int LOOKS_PER_INTERVAL = 5;
    private static final Logger LOG = Logger.getLogger(ListStreams.class.getName());

    @Inject
    TraceStreamConfig config;
    @Inject
    EventStore store;
    @Inject
    TraceRows rows;
    @Inject
    StreamSlots slots;
    @Inject
    ServiceMetrics metrics;

    private final Set<ListStream> connections = ConcurrentHashMap.newKeySet();
    /** What to run when a stream ends, besides giving its slot back (such as its key's stream count). */
    private final Map<ListStream, Runnable> onEnd = new ConcurrentHashMap<>();
    /** Streams whose client had not taken what was written: tried again every interval. */
    private final Set<ListStream> behind = ConcurrentHashMap.newKeySet();
    /**
     * Each trace's status in the row sent last, so a trace leaving a stream's status filter is
     * sent once more. Only the list thread touches it; bounded like the summary cache.
     */
    private Map<String, TraceStatus> lastStatus;
    /** Only the list thread looks. */
    private ChangedTraces changes;
    /** Only the list thread paces. */
    private RowPacer pacer;
    private ScheduledExecutorService thread;
    private long intervalNanos;
    private StreamSettings settings;
    private final ListStream.Listener listener = (connection, slowConsumer) -> {
        connections.remove(connection);
        behind.remove(connection);
        slots.release();
        Runnable ended = onEnd.remove(connection);
        if (ended != null) {
            ended.run();
        }
        if (slowConsumer) {
            metrics.slowConsumerDropped();
        }
    };

    @PostConstruct
    void start() {
        intervalNanos = config.listInterval().toNanos();
        settings = StreamSettings.of(config);
        int capacity = config.summaryCacheSize();
        lastStatus = RecentlyUsed.map(capacity);
        changes = new ChangedTraces(store, capacity);
        pacer = new RowPacer(intervalNanos, capacity, System::nanoTime);
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracestream-list-stream");
            t.setDaemon(true);
            return t;
        });
        long heartbeat = config.heartbeat().toNanos();
        thread.scheduleAtFixedRate(this::beat, heartbeat, heartbeat, TimeUnit.NANOSECONDS);
        thread.scheduleWithFixedDelay(this::retryBehind, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        long look = Math.max(1, intervalNanos / LOOKS_PER_INTERVAL);
        thread.scheduleWithFixedDelay(this::sendChanges, look, look, TimeUnit.NANOSECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
        connections.forEach(c -> c.close(false));
    }

    /**
     * Opens a list stream, or answers {@code false} when this instance holds its maximum of
     * streams already (list and trace streams share it). The stream ends at {@code endBy}, when the
     * client's credential expires ({@link Instant#MAX}: never); {@code ended} runs once when it ends.
     */
    public boolean open(ListFilter filter, StreamClient client, Instant endBy, Runnable ended) {
        if (!slots.take()) {
            return false;
        }
        ListStream connection = new ListStream(filter, client, settings, endBy, listener);
        onEnd.put(connection, ended);
        boolean first = connections.isEmpty();
        connections.add(connection);
        connection.followClient();
        // The opening comment, at once. A first stream looks for changes from one interval back,
        // so a change made while it connected is sent.
        long since = System.currentTimeMillis() - config.listInterval().toMillis();
        run(() -> {
            if (first) {
                changes.startFrom(since);
            }
            write(connection);
        });
        return true;
    }

    /** The rows of the traces active since the last look (and not sent within an interval), to the streams that want them. */
    private void sendChanges() {
        if (connections.isEmpty()) {
            return;
        }
        try {
            for (String traceId : pacer.due(changes.next())) {
                send(traceId);
            }
            connections.forEach(this::write);
        } catch (RuntimeException e) {
            LOG.fine("List stream round failed: " + e); // the store is down; the next look sends the changes
        }
    }

    private void send(String traceId) {
        Optional<RowJson> row;
        try {
            row = rows.rowJson(traceId);
        } catch (RuntimeException e) {
            LOG.fine("No row for a list stream: " + e); // the store is down; the next change sends it
            return;
        }
        if (row.isEmpty()) {
            return;
        }
        TraceStatus previous = lastStatus.put(traceId, row.get().status());
        byte[] sse = null;
        for (ListStream c : connections) {
            if (c.filter().wants(row.get(), previous)) {
                if (sse == null) {
                    sse = SseFrame.event(null, ROW_EVENT, row.get().json());
                }
                c.add(traceId, sse);
            }
        }
    }

    private void write(ListStream connection) {
        if (connection.flush()) {
            behind.add(connection);
        } else {
            behind.remove(connection);
        }
    }

    private void retryBehind() {
        try {
            behind.forEach(this::write);
        } catch (RuntimeException e) {
            LOG.warning("List stream retry round failed: " + e); // a scheduled task that throws never runs again
        }
    }

    private void beat() {
        try {
            for (ListStream c : connections) {
                c.heartbeat();
                write(c);
            }
        } catch (RuntimeException e) {
            LOG.warning("List stream heartbeat round failed: " + e);
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.fine("List streams are shutting down");
        }
    }
}
