package io.tracestream.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.EventType;
import io.tracestream.domain.JsonFactories;
import io.tracestream.ops.RunAlertMetrics;
import io.tracestream.store.AppendResult;
import io.tracestream.store.EventStore;
import io.tracestream.store.LiveListener;
import io.tracestream.store.NewEvent;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.TraceActivity;
import io.tracestream.store.TraceHead;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.ProducerEvent;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guardian with the in-memory store and two "instances" (two guardians) that each hear only
 * every other batch of a run live, as the once-per-event share splits a run between instances:
 * each reads what it missed from the history, they find the same things, and the store keeps each
 * finding once, counted by the one guardian whose append stored it.
 */
class RunGuardianTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** The memory store, with the once-per-event share handed out in turn to the guardians that subscribed. */
    static final class SplitShareStore implements EventStore {
        final MemoryEventStore memory = new MemoryEventStore(10_000, Duration.ofHours(1), Duration.ofMinutes(10), Clock.systemUTC());
        final List<LiveListener> instances = new CopyOnWriteArrayList<>();
        final AtomicInteger turn = new AtomicInteger();

        SplitShareStore() {
            memory.subscribe(Share.ONCE_PER_EVENT, (traceId, events) ->
                    instances.get(Math.floorMod(turn.getAndIncrement(), instances.size())).onEvents(traceId, events));
        }

        @Override public AppendResult append(String traceId, List<NewEvent> events) { return memory.append(traceId, events); }
        @Override public List<StoredEvent> read(String traceId, String afterId, int limit) { return memory.read(traceId, afterId, limit); }
        @Override public Optional<String> content(String traceId, String id) { return memory.content(traceId, id); }
        @Override public Optional<TraceHead> head(String traceId) { return memory.head(traceId); }
        @Override public List<TraceActivity> recentTraces(TraceActivity cursor, int limit) { return memory.recentTraces(cursor, limit); }
        @Override public CompletionStage<Void> watch(String traceId) { return memory.watch(traceId); }
        @Override public void unwatch(String traceId) { memory.unwatch(traceId); }

        @Override
        public void subscribe(Share share, LiveListener listener) {
            if (share == Share.ONCE_PER_EVENT) {
                instances.add(listener);
            } else {
                memory.subscribe(share, listener);
            }
        }
    }

    /** The metrics of one guardian: what it counted, no registry. */
    static final class CountedAlerts extends RunAlertMetrics {
        final Map<String, Integer> raised = new ConcurrentHashMap<>();

        @Override
        public void declare(Iterable<String> kinds, Iterable<String> severities, Supplier<Number> open) {
        }

        @Override
        public void raised(String kind, String severity) {
            raised.merge(kind + "/" + severity, 1, Integer::sum);
        }
    }

    static TraceStreamConfig config(Duration silentAfter) {
        return new TraceStreamConfig() {
            @Override public boolean guardsEnabled() { return true; }
            @Override public int guardsSameToolCalls() { return 4; }
            @Override public int guardsHandoffCycles() { return 4; }
            @Override public int guardsModelCallsPerAgent() { return 50; }
            @Override public BigDecimal guardsMaxRunCostUsd() { return BigDecimal.ZERO; }
            @Override public long guardsMaxRunTokens() { return 0; }
            @Override public BigDecimal guardsBudgetWarningRatio() { return new BigDecimal("0.8"); }
            @Override public Duration guardsSilentAfter() { return silentAfter; }
            @Override public int guardsErrorBurstSteps() { return 3; }
            @Override public Duration guardsErrorBurstWindow() { return Duration.ofSeconds(60); }
            @Override public Duration guardsMaxRunDuration() { return Duration.ZERO; }
            @Override public String guardsOverrides() { return ""; }
            @Override public Duration guardsCheckEvery() { return Duration.ofMillis(50); }
            @Override public int guardsMaxRuns() { return 100; }
            @Override public Duration guardsForgetAfter() { return Duration.ofMinutes(10); }
            @Override public Duration traceTtl() { return Duration.ofHours(1); }
            @Override public Optional<String> alertmanagerUrl() { return Optional.empty(); }
            @Override public String modelPrices() { return ""; }
            @Override public int replayPage() { return 3; }
        };
    }

    final SplitShareStore store = new SplitShareStore();
    final List<RunGuardian> guardians = new ArrayList<>();
    final List<CountedAlerts> counted = new ArrayList<>();

    void startGuardians(int n, Duration silentAfter) {
        for (int i = 0; i < n; i++) {
            RunGuardian g = new RunGuardian();
            g.store = store;
            g.config = config(silentAfter);
            CountedAlerts metrics = new CountedAlerts();
            g.metrics = metrics;
            g.init();
            guardians.add(g);
            counted.add(metrics);
        }
    }

    @AfterEach
    void stop() {
        guardians.forEach(RunGuardian::close);
    }

    void append(String trace, ProducerEvent e) {
        store.append(trace, List.of(e.toNew()));
    }

    List<JsonObject> alerts(String trace) {
        return store.read(trace, null, 1000).stream().filter(e -> EventType.ALERT.equals(e.eventType()))
                .map(e -> JsonFactories.readObject(e.json())).toList();
    }

    static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static ProducerEvent sameSearch(String trace) {
        return ProducerEvent.of(trace, "tool_call", "researcher").attribute("tool", "web_search")
                .attribute("tool_arguments", "{\"query\": \"latest\"}");
    }

    /** A run that starts, then searches the same thing four times: a loop, stored. */
    void loopOfFourSearches(String trace) {
        append(trace, ProducerEvent.of(trace, "workflow_started", "planner"));
        for (int i = 0; i < 4; i++) {
            append(trace, sameSearch(trace));
        }
        await("a loop stored", () -> alerts(trace).size() == 1);
    }

    @Test
    void twoInstancesHearingEveryOtherEventOfARunFindItsLoopAndStoreItOnceCountedOnce() {
        startGuardians(2, Duration.ZERO);
        String trace = "loop-split";
        loopOfFourSearches(trace);
        // Both guardians read the whole run: both know the loop as open, whoever stored it.
        await("both follow the run with the loop open", () -> guardians.stream().allMatch(g -> g.openAlerts() == 1));
        assertEquals(1, counted.stream().mapToInt(c -> c.raised.getOrDefault("loop/critical", 0)).sum(), "counted once");

        append(trace, sameSearch(trace)); // the same loop: no news
        append(trace, ProducerEvent.of(trace, "workflow_completed", "planner"));
        await("the loop resolved", () -> alerts(trace).size() == 2);
        await("nothing open anywhere", () -> guardians.stream().allMatch(g -> g.openAlerts() == 0));
        List<JsonObject> stored = alerts(trace);
        assertFalse(stored.get(0).getBoolean("resolved"));
        assertTrue(stored.get(1).getBoolean("resolved"));
        assertEquals(stored.get(0).getString("key"), stored.get(1).getString("key"));
    }

    @Test
    void aRestartedInstanceReadsTheHistoryAndDoesNotStoreAFindingAgain() {
        startGuardians(1, Duration.ZERO);
        String trace = "loop-restart";
        loopOfFourSearches(trace);

        // A fresh instance hears of the run mid-way: it reads the history, loop and alert alike.
        guardians.get(0).close();
        store.instances.clear();
        guardians.clear();
        counted.clear();
        startGuardians(1, Duration.ZERO);
        append(trace, ProducerEvent.of(trace, "message", "researcher"));
        await("the run followed, its loop open", () -> guardians.get(0).openAlerts() == 1);
        assertEquals(1, alerts(trace).size(), "not stored again");
        assertEquals(Map.of(), counted.get(0).raised, "not counted again");
    }

    @Test
    void aQuietRunIsOneSilenceWhateverTheInstancesAndItsNextEventResolvesIt() {
        startGuardians(2, Duration.ofMillis(300));
        String trace = "quiet";
        append(trace, ProducerEvent.of(trace, "workflow_started", "planner"));
        append(trace, ProducerEvent.of(trace, "task_started", "coder").task("t1"));
        await("a silence stored", () -> alerts(trace).size() == 1);
        assertEquals("silent", alerts(trace).get(0).getString("kind"));
        append(trace, ProducerEvent.of(trace, "task_completed", "coder").task("t1"));
        await("the silence resolved", () -> alerts(trace).stream().anyMatch(a -> a.getBoolean("resolved")));
        assertEquals(1, alerts(trace).stream().filter(a -> !a.getBoolean("resolved")).count(), "one silence raised");
        append(trace, ProducerEvent.of(trace, "workflow_completed", "planner"));
    }
}
