package io.tracestream.guards;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EntryId;
import io.tracestream.domain.EventType;
import io.tracestream.domain.guards.AlertKind;
import io.tracestream.domain.guards.AlertSeverity;
import io.tracestream.domain.guards.GuardSettings;
import io.tracestream.domain.guards.RunAlert;
import io.tracestream.domain.guards.RunAlertJson;
import io.tracestream.domain.guards.RunGuards;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.ops.RunAlertMetrics;
import io.tracestream.ops.ThrottledWarning;
import io.tracestream.store.AppendResult;
import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.store.StoredEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Puts the run guards to work: every run's stored events, whichever instance stored them, reach its
 * {@link RunGuards} in history order, and what they find is stored in the run's history as an
 * {@code alert} event, from where the streams, the summary and the other instances read it.
 *
 * <p>How instances agree. Each event of the store's once-per-event share reaches one instance, so an
 * instance sees only part of a run live: a gap (an event whose predecessor it did not read) is read
 * from the history, so every instance that follows a run reads all of it, in order, and finds the
 * same things at the same events. A finding is stored under an id of its own
 * ({@link RunAlertJson#eventId}), which the store keeps once: the instance whose append stored it
 * counts it and posts it to Alertmanager; the others find it in the history and know it as raised.
 * Before a quiet run is judged silent (or too long), its history is read again: another instance may
 * have heard from it.
 *
 * <p>One thread does it all, in order (events, ticks, stores), off the paths of ingest and delivery:
 * a slow store or Alertmanager slows the guards, never a producer or a client. Its queue is bounded;
 * a batch left out when it is full is read from the history at the run's next event.
 */
@ApplicationScoped
public class RunGuardian implements LiveListener {

    private static final Logger LOG = Logger.getLogger(RunGuardian.class.getName());
    /** Batches waiting for the guards' thread; beyond, batches are left out and read from the history later. */
    private static final int MAX_QUEUED_BATCHES = 10_000;

    @Inject
    EventStore store;
    @Inject
    TraceStreamConfig config;
    @Inject
    RunAlertMetrics metrics;

    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong open = new AtomicLong();
    private final ThrottledWarning warning = new ThrottledWarning(LOG, ThrottledWarning.EVERY);
    private GuardSettingsByPrefix settings;
    private PriceTable prices;
    private Map<String, RunWatch> runs;
    private ScheduledExecutorService worker;
    private AlertmanagerPoster alertmanager;
    private Instant repostDue = Instant.MIN;

    @PostConstruct
    void init() {
        metrics.declare(Arrays.stream(AlertKind.values()).map(AlertKind::wireName).toList(),
                Arrays.stream(AlertSeverity.values()).map(AlertSeverity::wireName).toList(), open::get);
        if (!config.guardsEnabled()) {
            return;
        }
        settings = GuardSettingsByPrefix.parse(baseSettings(), config.guardsOverrides());
        prices = PriceTable.withBundledPrices(config.modelPrices());
        int maxRuns = config.guardsMaxRuns();
        runs = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RunWatch> eldest) {
                if (size() > maxRuns) {
                    forgotten(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
        // Re-posted by the ticks, after the run's history is read: never a finding another instance resolved.
        config.alertmanagerUrl().ifPresent(url -> alertmanager = AlertmanagerPoster.repostedByCaller(URI.create(url),
                URI.create(config.alertmanagerPublicUrl()), config.alertmanagerRunbookUrl(),
                config.alertmanagerRepostEvery(), config.alertmanagerTimeout(), clock));
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tracestream-run-guards");
            t.setDaemon(true);
            return t;
        });
        long every = config.guardsCheckEvery().toMillis();
        worker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        store.subscribe(Share.ONCE_PER_EVENT, this);
    }

    /** Created at deployment, so runs are guarded before anyone asks. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // creating the bean subscribes it
    }

    @PreDestroy
    void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    private GuardSettings baseSettings() {
        return new GuardSettings(config.guardsSameToolCalls(), config.guardsHandoffCycles(),
                config.guardsModelCallsPerAgent(), config.guardsMaxRunCostUsd(), config.guardsMaxRunTokens(),
                config.guardsBudgetWarningRatio(), config.guardsSilentAfter(), config.guardsErrorBurstSteps(),
                config.guardsErrorBurstWindow(), config.guardsMaxRunDuration());
    }

    /** Called on the store's delivery thread: hands the batch to the guards' thread, never waits. */
    @Override
    public void onEvents(String traceId, List<StoredEvent> events) {
        if (queued.incrementAndGet() > MAX_QUEUED_BATCHES) {
            queued.decrementAndGet();
            return; // read from the history at the run's next event: its predecessor will be missing
        }
        worker.execute(() -> {
            queued.decrementAndGet();
            guarded(traceId, () -> heard(traceId, events));
        });
    }

    private void heard(String traceId, List<StoredEvent> events) {
        Instant now = clock.instant();
        RunWatch run = runs.get(traceId);
        for (StoredEvent e : events) {
            if (run == null) {
                run = new RunWatch(traceId, new RunGuards(settings.forTrace(traceId), prices), now);
                runs.put(traceId, run);
            }
            if (run.lastId != null && !EntryId.isAfter(e.id(), run.lastId)) {
                continue; // read already, from the history
            }
            if (!Objects.equals(e.previousId(), run.lastId)) {
                readHistory(run, now); // a gap: events another instance had, read with this one
                continue;
            }
            read(run, e, now);
        }
        if (run != null) {
            storeFound(run);
        }
    }

    private void read(RunWatch run, StoredEvent e, Instant now) {
        RunAlert stored = run.read(e, now);
        if (stored != null && stored.resolved() && alertmanager != null) {
            alertmanager.resolved(run.traceId, run.agentOf(stored), stored);
        }
    }

    /** Reads what the run's history holds after what the guards read. */
    private void readHistory(RunWatch run, Instant now) {
        int page = config.replayPage();
        while (true) {
            List<StoredEvent> batch = store.read(run.traceId, run.lastId, page);
            batch.forEach(e -> read(run, e, now));
            if (batch.size() < page) {
                return;
            }
        }
    }

    private void tick() {
        Instant now = clock.instant();
        boolean repost = alertmanager != null && !now.isBefore(repostDue);
        if (repost) {
            repostDue = now.plus(config.alertmanagerRepostEvery());
        }
        for (RunWatch run : List.copyOf(runs.values())) {
            guarded(run.traceId, () -> tick(run, now, repost));
        }
    }

    private void tick(RunWatch run, Instant now, boolean repost) {
        if (run.guards.mayRaiseOnTick(now) || (repost && !run.guards.openAlerts().isEmpty())) {
            readHistory(run, now); // another instance may have heard from it, or resolved what is open
        }
        run.ticked(run.guards.onTick(now));
        storeFound(run);
        if (repost) {
            run.guards.openAlerts().forEach(a -> alertmanager.repost(run.traceId, run.agentOf(a), a));
        }
        if (!run.guards.running() && run.guards.openAlerts().isEmpty()
                && now.isAfter(run.activeAt.plus(config.guardsForgetAfter()))
                || now.isAfter(run.activeAt.plus(config.traceTtl()))) {
            runs.remove(run.traceId);
            forgotten(run);
        }
    }

    /** Stores the run's new findings, one append each: the store says whether this instance stored it first. */
    private void storeFound(RunWatch run) {
        List<RunAlert> found = run.takeFound();
        for (int i = 0; i < found.size(); i++) {
            RunAlert alert = found.get(i);
            String agent = run.agentOf(alert);
            AppendResult result;
            try {
                result = store.append(run.traceId, List.of(new NewEvent(EventType.ALERT, agent == null ? "" : agent,
                        RunAlertJson.eventId(alert), RunAlertJson.storedEvent(run.traceId, agent, alert))));
            } catch (StoreUnavailableException e) {
                run.notStored(found.subList(i, found.size()));
                warning.warn(() -> "Run guards could not store a finding (store unavailable); trying again: " + e.getMessage());
                break;
            }
            if (result.stored() > 0) {
                if (!alert.resolved()) {
                    metrics.raised(alert.kind().wireName(), alert.severity().wireName());
                }
                if (alertmanager != null) {
                    if (alert.resolved()) {
                        alertmanager.resolved(run.traceId, agent, alert);
                    } else {
                        alertmanager.raised(run.traceId, agent, alert);
                    }
                }
            }
        }
        int nowOpen = run.guards.openAlerts().size();
        open.addAndGet(nowOpen - run.openCounted);
        run.openCounted = nowOpen;
    }

    private void forgotten(RunWatch run) {
        open.addAndGet(-run.openCounted);
        run.openCounted = 0;
    }

    /** One run's trouble (an event that cannot be read, the store away) must not stop the others'. */
    private void guarded(String traceId, Runnable work) {
        try {
            work.run();
        } catch (StoreUnavailableException e) {
            warning.warn(() -> "Run guards could not read a trace's history (store unavailable): " + e.getMessage());
        } catch (RuntimeException e) {
            RunWatch dropped = runs.remove(traceId);
            if (dropped != null) {
                forgotten(dropped); // read again from its history at its next event
            }
            // The exception's class and where, never its message: it may quote what an event said.
            LOG.warning(() -> "Run guards failed on trace " + traceId + " (" + e.getClass().getName() + " at "
                    + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?") + "); it is read again from its history");
        }
    }

    /** For tests and the benchmark: findings open in the runs this instance follows. */
    long openAlerts() {
        return open.get();
    }
}
