package io.tracestream.demo;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.TraceId;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ingest.EventIngest.Submission;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the realistic code-analysis workflow (six agents, a failed backtest and its retry) into
 * the store under a fresh trace id, each event at its own moment: the fixture's timestamps are
 * shifted to now and spaced by {@code tracestream.demo.speed}, so a newcomer sees the dashboard
 * come alive without agents of their own. Events go through {@link EventIngest} like any
 * producer's, so every stream, summary and metric sees a real trace.
 */
@ApplicationScoped
public class DemoWorkflow {

    static final String FIXTURE = "/io/tracestream/demo/code-analysis-workflow.json";
    /** Enough for a room of newcomers; a form that anyone may post must not fill the store. */
    static final int MAX_RUNNING = 5;

    private static final Logger LOG = Logger.getLogger(DemoWorkflow.class.getName());

    @Inject
    EventIngest ingest;
    @Inject
    TraceStreamConfig config;

    private final AtomicInteger running = new AtomicInteger();
    private ScheduledExecutorService timer;
    private List<TraceEvent> fixture;

    @PostConstruct
    void init() {
        fixture = load();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracestream-demo");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (config.demoEnabled()) {
            try {
                String traceId = start();
                LOG.info(() -> "Demo workflow playing as trace " + traceId + " (tracestream.demo.enabled=true)");
            } catch (RuntimeException e) {
                // A demo is a nicety: a store that is not up yet must not stop the server starting.
                LOG.log(Level.WARNING, "demo workflow not started: " + e);
            }
        }
    }

    /** How many demo runs are still playing. */
    public int running() {
        return running.get();
    }

    /**
     * Starts a run: its first event is stored before this returns, so the trace's page exists at
     * once; the rest follow on a timer.
     *
     * @return the new trace's id
     * @throws IllegalStateException when {@link #MAX_RUNNING} runs are playing already
     */
    public String start() {
        if (running.incrementAndGet() > MAX_RUNNING) {
            running.decrementAndGet();
            throw new IllegalStateException(MAX_RUNNING + " demo runs are playing already");
        }
        String traceId = "demo-" + TraceId.mint().substring(0, 12);
        double speed = config.demoSpeed() > 0 ? config.demoSpeed() : 1.0;
        Instant origin = fixture.get(0).timestamp();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as the server stamps events
        List<Long> due = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e : fixture) {
            long offset = (long) (Duration.between(origin, e.timestamp()).toMillis() / speed);
            TraceEvent shifted = paced(e.withTraceId(traceId).withTimestamp(now.plusMillis(offset)), speed);
            due.add(offset);
            events.add(shifted);
        }
        try {
            store(traceId, events.get(0));
        } catch (RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
        for (int i = 1; i < events.size(); i++) {
            TraceEvent next = events.get(i);
            boolean last = i == events.size() - 1;
            long delay = Math.max(0, due.get(i) - Duration.between(now, Instant.now()).toMillis());
            timer.schedule(() -> play(traceId, next, last), delay, TimeUnit.MILLISECONDS);
        }
        return traceId;
    }

    /** Durations shrink with the clock, so bars still end where the next event says they did. */
    private static TraceEvent paced(TraceEvent e, double speed) {
        if (e.durationMs() == null || speed == 1.0) {
            return e;
        }
        return new TraceEvent(e.id(), e.traceId(), e.eventType(), e.agentId(), e.timestamp(), e.spanId(),
                e.parentSpanId(), e.taskId(), e.status(), (long) (e.durationMs() / speed), e.error(), e.model(),
                e.inputTokens(), e.outputTokens(), e.costUsd(), e.eventId(), e.attributes());
    }

    private void store(String traceId, TraceEvent event) {
        ingest.ingest(traceId, new Submission(List.of(event), true));
    }

    private void play(String traceId, TraceEvent event, boolean last) {
        try {
            store(traceId, event);
        } catch (RuntimeException e) {
            // The store was away: the demo shows a gap, as a real producer's trace would.
            LOG.log(Level.WARNING, "demo event not stored in " + traceId + ": " + e);
        } finally {
            if (last) {
                running.decrementAndGet();
            }
        }
    }

    private static List<TraceEvent> load() {
        try (InputStream in = DemoWorkflow.class.getResourceAsStream(FIXTURE);
             JsonReader reader = JsonFactories.reader(in)) {
            JsonArray array = reader.readArray();
            List<TraceEvent> events = new ArrayList<>();
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                events.add(TraceEventJson.read(array.get(i), "[" + i + "]", errors));
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException(FIXTURE + " is not valid: " + errors);
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
