package io.tracestream.store.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.EntryId;
import io.tracestream.store.EventStore;
import io.tracestream.store.EventStoreContract;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoreHealth;
import io.tracestream.store.WorkflowActivity;
import io.tracestream.store.memory.MemoryEventStoreTest.ManualClock;
import io.tracestream.testing.ProducerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's promises kept by the in-memory adapter, wired as the server wires it (live events
 * handed on by a pool of their own), on a clock the test moves: a fresh store for each test.
 */
class MemoryEventStoreContractTest extends EventStoreContract {

    private ManualClock clock;
    private ExecutorService handOff;
    private MemoryEventStore store;

    @BeforeEach
    void start() {
        clock = new ManualClock();
        handOff = Executors.newFixedThreadPool(2);
        store = new MemoryEventStore(HISTORY_CAP, TTL, DEDUP_WINDOW, clock, handOff);
        subscribeRecorders(store);
    }

    @AfterEach
    void stop() {
        handOff.shutdownNow();
    }

    @Override
    protected EventStore store() {
        return store;
    }

    @Override
    protected StoreHealth health() {
        return store;
    }

    @Override
    protected WorkflowActivity activity() {
        return store.workflowActivity();
    }

    @Override
    protected String expectedName() {
        return "memory";
    }

    @Override
    protected long nowMillis() {
        return clock.millis();
    }

    @Override
    protected boolean moveClock(Duration by) {
        clock.now = clock.now.plus(by);
        return true;
    }

    @Override
    protected void nextMillisecond() {
        moveClock(Duration.ofMillis(1));
    }

    @Test
    void idsIncreaseStrictlyWhenTheClockStepsBack() {
        String trace = newTrace();
        NewEvent event = ProducerEvent.of(trace, "step", "a").toNew();
        String before = store.append(trace, List.of(event)).ids().get(0);
        clock.now = clock.now.minus(Duration.ofMinutes(1)); // NTP stepped the wall clock back
        String after = store.append(trace, List.of(event)).ids().get(0);
        assertTrue(EntryId.isAfter(after, before), after + " after " + before);
    }
}
