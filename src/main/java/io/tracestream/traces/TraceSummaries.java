package io.tracestream.traces;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EntryId;
import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.ops.InFlightWork;
import io.tracestream.store.EventStore;
import io.tracestream.store.StoredEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Each trace's summary, folded from its stored history in order. Because the fold is
 * deterministic and the history is the one in the store, every instance gives the same answer,
 * also after restarts.
 *
 * <p>Summaries asked for recently are cached and kept current from live events, so a dashboard
 * that streams summaries costs one fold per trace, not one per event. A cached summary that
 * misses an event (its predecessor is not the last one folded) is dropped and folded again.
 *
 * <p>A trace of OpenTelemetry spans keeps its events in its summarizer, to fold them again when a
 * span arrives out of order; so the cache also holds at most {@code tracestream.summary.max-kept-events}
 * such events in all, dropping the least recently used summaries beyond it (they are folded from
 * the store again when next asked for).
 *
 * <p>Each call is a unit of work the watchdog watches ({@link InFlightWork}): a summary that never
 * comes back (a lock never released) makes the instance not ready.
 *
 * <p>Lock order (docs/architecture.md, "Locks, and their one order"): a trace's {@code Folded} first; holding it, a
 * fold may read the store (whose locks are innermost: a store never calls out while holding one)
 * and take the cache's lock; nothing is called while holding the cache's lock. Live events come in
 * with no store lock held ({@link #onEvents}), so no thread holds a store lock and waits for a
 * {@code Folded}: the two once did, the other way round, and deadlocked.
 */
@ApplicationScoped
public class TraceSummaries {

    @Inject
    EventStore store;
    @Inject
    TraceStreamConfig config;
    @Inject
    InFlightWork work;

    private final Clock clock = Clock.systemUTC();
    private PriceTable prices;
    private Map<String, Folded> cache;

    /** For tests: the summaries of the given store's traces, set up as at start. */
    public static TraceSummaries of(EventStore store, TraceStreamConfig config) {
        TraceSummaries summaries = new TraceSummaries();
        summaries.store = store;
        summaries.config = config;
        summaries.work = new InFlightWork();
        summaries.init();
        return summaries;
    }

    @PostConstruct
    void init() {
        prices = PriceTable.withBundledPrices(config.modelPrices());
        int capacity = config.summaryCacheSize();
        cache = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Folded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The trace's summary now, including every event stored so far; empty for an unknown trace. */
    public Optional<TraceSummary> summary(String traceId) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ, traceId)) {
            return foldedSummary(traceId);
        }
    }

    private Optional<TraceSummary> foldedSummary(String traceId) {
        Folded folded = folded(traceId);
        if (folded == null) {
            return Optional.empty();
        }
        synchronized (folded) {
            folded.catchUp(store, config.replayPage());
            if (folded.events == 0) {
                forget(traceId); // unknown: keep the cache for traces that exist
                return Optional.empty();
            }
            folded.kept = folded.summarizer.keptEvents();
        }
        if (folded.kept > 0) {
            limitKeptEvents(traceId);
        }
        synchronized (folded) {
            return Optional.of(folded.summarizer.snapshot(clock.instant()));
        }
    }

    /**
     * The summary for one stream, which asks after its replay and after each live batch: caught
     * up from the store the first time (a cached summary may have missed events while no stream
     * on this instance watched the trace), then as cached, kept current by the live events.
     */
    public Supplier<Optional<TraceSummary>> forStream(String traceId) {
        AtomicBoolean first = new AtomicBoolean(true);
        return () -> first.getAndSet(false) ? summary(traceId) : cachedSummary(traceId);
    }

    /**
     * The summary as cached, without asking the store: for a watched trace, whose live events keep
     * it current. Folded from the store when the trace is not cached.
     */
    Optional<TraceSummary> cachedSummary(String traceId) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.READ, traceId)) {
            return cachedOrFolded(traceId);
        }
    }

    private Optional<TraceSummary> cachedOrFolded(String traceId) {
        Folded folded;
        synchronized (cache) {
            folded = cache.get(traceId);
        }
        if (folded != null) {
            synchronized (folded) {
                if (!folded.stale && folded.events > 0) {
                    return Optional.of(folded.summarizer.snapshot(clock.instant()));
                }
            }
        }
        return summary(traceId); // not cached, or it missed an event: from the store
    }

    /** Live events of a trace, in order: keeps a cached summary current. Called by the live dispatcher. */
    public void onEvents(String traceId, List<StoredEvent> events) {
        try (InFlightWork.Unit unit = work.begin(InFlightWork.Kind.LIVE, traceId)) {
            applyLive(traceId, events);
        }
    }

    private void applyLive(String traceId, List<StoredEvent> events) {
        Folded folded;
        synchronized (cache) {
            folded = cache.get(traceId);
        }
        if (folded != null) {
            synchronized (folded) {
                for (StoredEvent e : events) {
                    folded.applyLive(e);
                }
                folded.kept = folded.summarizer.keptEvents();
            }
            if (folded.kept > 0) { // a trace that keeps nothing cannot have pushed the cache past the limit
                limitKeptEvents(traceId);
            }
        }
    }

    /** Drops the least recently used summaries that keep events, until the cache keeps at most the limit. */
    private void limitKeptEvents(String keep) {
        long max = config.summaryMaxKeptEvents();
        synchronized (cache) {
            long total = 0;
            for (Folded f : cache.values()) {
                total += f.kept;
            }
            // Eldest (least recently used) first.
            for (var it = cache.entrySet().iterator(); it.hasNext() && total > max; ) {
                Map.Entry<String, Folded> entry = it.next();
                if (entry.getValue().kept > 0 && !entry.getKey().equals(keep)) {
                    total -= entry.getValue().kept;
                    it.remove();
                }
            }
        }
    }

    private void forget(String traceId) {
        synchronized (cache) {
            cache.remove(traceId);
        }
    }

    private Folded folded(String traceId) {
        synchronized (cache) {
            Folded folded = cache.get(traceId);
            if (folded == null || folded.stale) {
                folded = new Folded(traceId, new TraceSummarizer(prices, config.stallAfter()));
                cache.put(traceId, folded);
            }
            return folded;
        }
    }

    /** One trace's summarizer and how far into the history it has folded. */
    private static final class Folded {
        final String traceId;
        final TraceSummarizer summarizer;
        String lastId;
        long events;
        boolean stale;
        /** Events the summarizer keeps to fold again (span traces only), as last looked at. */
        volatile int kept;

        Folded(String traceId, TraceSummarizer summarizer) {
            this.traceId = traceId;
            this.summarizer = summarizer;
        }

        void catchUp(EventStore store, int page) {
            while (true) {
                List<StoredEvent> batch = store.read(traceId, lastId, page);
                batch.forEach(this::apply);
                if (batch.size() < page) {
                    return;
                }
            }
        }

        void applyLive(StoredEvent e) {
            if (stale || !EntryId.isAfter(e.id(), lastId)) {
                return;
            }
            if (e.previousId() != null && !e.previousId().equals(lastId)) {
                stale = true; // missed an event: fold again from the history when next asked
                return;
            }
            apply(e);
        }

        private void apply(StoredEvent e) {
            if (EventType.ALERT.equals(e.eventType())) {
                summarizer.applyAlert(e.id(), JsonFactories.readObject(e.json()));
            } else {
                summarizer.apply(TraceEventJson.readStored(e.json()));
            }
            lastId = e.id();
            events++;
        }
    }
}
