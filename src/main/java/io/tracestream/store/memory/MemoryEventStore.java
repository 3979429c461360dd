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
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The zero-setup backend: every trace's history in this JVM's heap, with the same promises as the
 * Redis one for a single instance (atomic appends, increasing ids, caps, expiry, dedup).
 *
 * <p>Locks: a trace's {@code TraceLog} is held only while its history is read or changed (and the
 * id clock, {@link IdSequence}, is read under it); it is never held while calling out. Live
 * events therefore reach the listeners after the lock is released, through the trace's outbox:
 * batches queue there in history order and one task at a time hands them on, on the hand-off
 * executor, so they reach the listeners in that order, and a listener may read the store (the
 * summaries do). Why an executor rather than the appending request: under a stream of concurrent
 * appends to one trace, the request that happened to be handing on would keep handing on the
 * others' batches, and its own answer would wait seconds. So the store's locks are the innermost:
 * whoever calls in may hold its own (the lock order: docs/architecture.md, "Locks, and their one order").
 */
public class MemoryEventStore implements EventStore, StoreHealth {

    private static final Logger LOG = Logger.getLogger(MemoryEventStore.class.getName());

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
    /** Runs the tasks that hand live events on. */
    private final Executor handOff;

    /** For tests: live events are handed on by the appending thread, before {@link #append} returns. */
    public MemoryEventStore(long maxEvents, Duration ttl, Duration dedupWindow, Clock clock) {
        this(maxEvents, ttl, dedupWindow, clock, Runnable::run);
    }

    /** @param handOff runs the tasks that hand each trace's new events to the listeners, one task per trace at a time */
    public MemoryEventStore(long maxEvents, Duration ttl, Duration dedupWindow, Clock clock, Executor handOff) {
        this.handOff = handOff;
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
        AppendResult result;
        boolean startHandingOn = false;
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
                log.add(stored, e.content(), maxEvents, now);
                if (e.eventId() != null) {
                    log.remember(e.eventId(), id, now + dedupMillis);
                }
                answer.add(id);
                fresh.add(stored);
            }
            if (!fresh.isEmpty()) {
                log.outbox.add(fresh);
                startHandingOn = !log.handingOn;
                log.handingOn = true;
            }
            result = new AppendResult(answer, fresh.size());
        }
        if (startHandingOn) {
            handOff.execute(() -> handOn(traceId, log));
        }
        return result;
    }

    /**
     * Hands the trace's queued batches to the listeners, oldest first, until none is left: the one
     * task of the trace that does (batches queued meanwhile join it). No lock is held while a
     * listener runs.
     */
    private void handOn(String traceId, TraceLog log) {
        while (true) {
            List<StoredEvent> batch;
            synchronized (log) {
                batch = log.outbox.poll();
                if (batch == null) {
                    log.handingOn = false;
                    return;
                }
            }
            try {
                if (watched.containsKey(traceId)) {
                    watchers.onEvents(traceId, batch);
                }
                oncePerEvent.onEvents(traceId, batch);
            } catch (RuntimeException e) {
                // The batch is stored, and its producer was told so: a listener's failure is the listener's.
                LOG.log(Level.WARNING, "A live listener failed on trace " + traceId + "'s new events", e);
            }
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
    public Optional<String> content(String traceId, String id) {
        TraceLog log = live(traceId);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return Optional.ofNullable(log.contents.get(id));
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
            return Optional.of(new TraceHead(log.events.peekFirst().id(), log.events.peekLast().id(), log.endId,
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
    public synchronized void subscribe(Share share, LiveListener listener) {
        if (share == Share.WATCHED_TRACES) {
            watchers = listener;
        } else {
            oncePerEvent = oncePerEvent.andThen(listener);
        }
    }

    /**
     * Answers at once: an append checks whether its trace is watched when it hands its events on,
     * after storing them, so an event stored after this call is handed on, and one stored before it
     * is in the history a stream reads next.
     */
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
        /** The content of the events whose calls said something, by event id: dropped with its event. */
        final Map<String, String> contents = new HashMap<>();
        /** Stored batches not yet handed to the listeners, oldest first. */
        final Deque<List<StoredEvent>> outbox = new ArrayDeque<>();
        /** A task is handing the outbox on, or is about to. */
        boolean handingOn;
        long lastWriteMillis;
        /** The event that ended the workflow, or null while it runs (see {@link StoredEvent#workflowEndAfter}). */
        String endId;
        boolean removed;

        record Dedup(String id, long expiresAt) {}

        String lastId() {
            return events.isEmpty() ? lastTrimmedId : events.peekLast().id();
        }

        String lastTrimmedId;

        void add(StoredEvent e, String content, long maxEvents, long now) {
            events.addLast(e);
            if (content != null) {
                contents.put(e.id(), content);
            }
            endId = e.workflowEndAfter(endId);
            while (events.size() > maxEvents) {
                lastTrimmedId = events.removeFirst().id();
                if (!contents.isEmpty()) {
                    contents.remove(lastTrimmedId);
                }
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
