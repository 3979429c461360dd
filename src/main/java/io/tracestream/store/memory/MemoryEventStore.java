package io.tracestream.store.memory;

import io.tracestream.domain.EntryId;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.store.AppendResult;
import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.TraceActivity;
import io.tracestream.store.TraceHead;
import io.tracestream.store.WorkflowActivity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The zero-setup backend: every trace's history in this JVM's heap, with the same promises as the
 * Redis one for a single instance (atomic appends, increasing ids, caps, expiry, dedup).
 *
 * <p>Live events are handed to the listener while the trace is locked, so they reach it in
 * history order; the listener never blocks (it queues, and writes to live streams without
 * waiting for their clients), so the lock is held briefly: the appending request pays for those
 * writes, as a bare servlet hub's POST does.
 */
public class MemoryEventStore implements EventStore, StoreHealth {

    private final Map<String, TraceLog> traces = new ConcurrentHashMap<>();
    private final long maxEvents;
    private final long ttlMillis;
    private final long dedupMillis;
    private final Clock clock;
    private final IdSequence ids;
    private final MemoryWorkflowActivity activity;
    private volatile LiveListener watchers = (traceId, events) -> { };
    /** How many times each watched trace is watched. */
    private final Map<String, Integer> watched = new ConcurrentHashMap<>();
    /** One instance does all the once-per-event work. */
    private volatile LiveListener oncePerEvent = (traceId, events) -> { };

    public MemoryEventStore(long maxEvents, Duration ttl, Duration dedupWindow, Clock clock) {
        this.maxEvents = maxEvents;
        this.ttlMillis = ttl.toMillis();
        this.dedupMillis = dedupWindow.toMillis();
        this.clock = clock;
        this.ids = new IdSequence(clock);
        this.activity = new MemoryWorkflowActivity(this, clock, ttlMillis);
    }

    @Override
    public AppendResult append(String traceId, List<NewEvent> events) {
        long now = clock.millis();
        TraceLog log = traces.compute(traceId, (id, existing) ->
                existing == null || existing.expiredAt(now, ttlMillis) ? new TraceLog() : existing);
        synchronized (log) {
            if (log.removed) {
                return append(traceId, events); // lost a race with the sweeper: start afresh
            }
            List<String> answer = new ArrayList<>(events.size());
            List<StoredEvent> fresh = new ArrayList<>(events.size());
            for (NewEvent e : events) {
                String original = e.eventId() == null ? null : log.dedup(e.eventId(), now);
                if (original != null) {
                    answer.add(original);
                    continue;
                }
                String id = ids.next();
                StoredEvent stored = new StoredEvent(id, log.lastId(), traceId, e.eventType(),
                        e.agentId(), TraceEventJson.withId(id, e.json()));
                log.add(stored, maxEvents, now);
                if (e.eventId() != null) {
                    log.remember(e.eventId(), id, now + dedupMillis);
                }
                answer.add(id);
                fresh.add(stored);
            }
            if (!fresh.isEmpty()) {
                if (watched.containsKey(traceId)) {
                    watchers.onEvents(traceId, fresh);
                }
                oncePerEvent.onEvents(traceId, fresh);
            }
            return new AppendResult(answer, fresh.size());
        }
    }

    @Override
    public List<StoredEvent> read(String traceId, String afterId, int limit) {
        TraceLog log = live(traceId);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            List<StoredEvent> out = new ArrayList<>(Math.min(limit, log.events.size()));
            for (StoredEvent e : log.events) {
                if (out.size() >= limit) {
                    break;
                }
                if (EntryId.isAfter(e.id(), afterId)) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    @Override
    public Optional<TraceHead> head(String traceId) {
        TraceLog log = live(traceId);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            if (log.events.isEmpty()) {
                return Optional.empty();
            }
            StoredEvent last = log.events.peekLast();
            return Optional.of(new TraceHead(log.events.peekFirst().id(), last.id(), last.endsWorkflow(),
                    log.lastTrimmedId));
        }
    }

    @Override
    public List<TraceActivity> recentTraces(TraceActivity cursor, int limit) {
        long now = clock.millis();
        List<TraceActivity> all = new ArrayList<>();
        traces.forEach((traceId, log) -> {
            if (!log.expiredAt(now, ttlMillis) && log.lastWriteMillis > 0) {
                all.add(new TraceActivity(traceId, log.lastWriteMillis));
            }
        });
        return all.stream()
                .filter(a -> a.isAfter(cursor))
                .sorted(java.util.Comparator.comparingLong(TraceActivity::lastEventMillis).reversed()
                        .thenComparing(TraceActivity::traceId, java.util.Comparator.reverseOrder()))
                .limit(limit)
                .toList();
    }

    @Override
    public void subscribe(Share share, LiveListener listener) {
        if (share == Share.WATCHED_TRACES) {
            watchers = listener;
        } else {
            oncePerEvent = listener;
        }
    }

    /** Answers at once: appends deliver under the trace's lock, so nothing falls between. */
    @Override
    public CompletionStage<Void> watch(String traceId) {
        watched.merge(traceId, 1, Integer::sum);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unwatch(String traceId) {
        watched.computeIfPresent(traceId, (t, n) -> n == 1 ? null : n - 1);
    }

    /** The store's record of running workflows and agent activity. */
    public WorkflowActivity workflowActivity() {
        return activity;
    }

    /** When the trace last received an event (epoch ms), or 0 when it does not exist. */
    long lastActivity(String traceId) {
        TraceLog log = live(traceId);
        return log == null ? 0 : log.lastWriteMillis;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String name() {
        return "memory";
    }

    /** Drops expired traces; called periodically so idle traces do not hold memory forever. */
    public void sweep() {
        long now = clock.millis();
        traces.entrySet().removeIf(entry -> {
            TraceLog log = entry.getValue();
            synchronized (log) {
                log.forgetDedupBefore(now);
                if (log.expiredAt(now, ttlMillis)) {
                    log.removed = true;
                    return true;
                }
                return false;
            }
        });
    }

    private TraceLog live(String traceId) {
        TraceLog log = traces.get(traceId);
        return log == null || log.expiredAt(clock.millis(), ttlMillis) ? null : log;
    }

    /** One trace: its capped history and the producers' idempotency keys seen recently. */
    private static final class TraceLog {
        final Deque<StoredEvent> events = new ArrayDeque<>();
        final Map<String, Dedup> dedup = new HashMap<>();
        long lastWriteMillis;
        boolean removed;

        record Dedup(String id, long expiresAt) {}

        String lastId() {
            return events.isEmpty() ? lastTrimmedId : events.peekLast().id();
        }

        String lastTrimmedId;

        void add(StoredEvent e, long maxEvents, long now) {
            events.addLast(e);
            while (events.size() > maxEvents) {
                lastTrimmedId = events.removeFirst().id();
            }
            lastWriteMillis = now;
        }

        String dedup(String eventId, long now) {
            Dedup d = dedup.get(eventId);
            return d != null && d.expiresAt() > now ? d.id() : null;
        }

        void remember(String eventId, String id, long expiresAt) {
            dedup.put(eventId, new Dedup(id, expiresAt));
        }

        void forgetDedupBefore(long now) {
            for (Iterator<Dedup> it = dedup.values().iterator(); it.hasNext(); ) {
                if (it.next().expiresAt() <= now) {
                    it.remove();
                }
            }
        }

        boolean expiredAt(long now, long ttlMillis) {
            return lastWriteMillis > 0 && now - lastWriteMillis >= ttlMillis;
        }
    }
}
