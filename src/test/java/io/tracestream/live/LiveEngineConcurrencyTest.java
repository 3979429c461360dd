package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.LockOrder;
import io.tracestream.domain.summary.TraceSummaryJson;
import io.tracestream.store.Share;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.testing.SpanBatches;
import io.tracestream.testing.UnitConfig;
import io.tracestream.testkit.LockOrderProbe;
import io.tracestream.testkit.SseParser.Message;
import io.tracestream.traces.TraceSummaries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The live engine under concurrency, with real parts: the in-memory store, the summaries, the
 * streams of one trace (some with summaries, some filtered) on a writer pool, heartbeats and the
 * end's settling on a timer, while many threads append spans and read summaries. The lock-order
 * probe fails the test on any lock wait the documented order does not allow; every stream must
 * get every event once, in order, and then {@code end}.
 */
class LiveEngineConcurrencyTest {

    private static final String TRACE = "live-concurrent";
    private static final int STREAMS = 24;
    private static final int APPENDERS = 12;
    private static final int SPANS = 800;
    private static final StreamSettings SETTINGS = new StreamSettings(1000, 0, 0, 1 << 20, 100_000, 30_000, 50, 20);

    /** Live events handed on by a pool of their own, as the server does. */
    private final ExecutorService handOff = Executors.newFixedThreadPool(2);
    private final MemoryEventStore store = new MemoryEventStore(100_000, Duration.ofHours(1), Duration.ofMinutes(10),
            Clock.systemUTC(), handOff);
    private final TraceSummaries summaries = TraceSummaries.of(store, UnitConfig.SUMMARIES);
    private final ExecutorService writers = Executors.newFixedThreadPool(4);
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        handOff.shutdownNow();
        workers.shutdownNow();
        writers.shutdownNow();
        timer.shutdownNow();
    }

    /** One client: what reached it, and whether it asked for llm_call events only. */
    private static final class Client {
        final FakeClient end = new FakeClient();
        final boolean filtered;
        TraceStream stream;

        Client(boolean filtered) {
            this.filtered = filtered;
        }

        List<Message> messages() {
            return end.messages();
        }
    }

    @Test
    void streamsOfOneTraceWrittenFromManyThreadsGetEveryEventOnceThenTheEndWithoutALockWaitOutOfOrder() throws Exception {
        Set<TraceStream> open = ConcurrentHashMap.newKeySet();
        AtomicInteger closed = new AtomicInteger();
        TraceStream.Listener registry = new TraceStream.Listener() {
            @Override public void delivered(StoredEvent event, boolean live) { }
            @Override public void overflowed(TraceStream stream) { workers.execute(stream::abortStalled); }
            @Override public void behind(TraceStream stream) { timer.schedule(stream::retry, 1, TimeUnit.MILLISECONDS); }
            @Override public void closed(TraceStream stream, boolean slowConsumer) {
                open.remove(stream);
                store.unwatch(TRACE);
                closed.incrementAndGet();
            }
            @Override public void settleLater(TraceStream stream, long delayMillis) {
                timer.schedule(stream::settle, delayMillis, TimeUnit.MILLISECONDS);
            }
        };
        // What LiveDispatcher and TraceStreams do with each live batch.
        store.subscribe(Share.WATCHED_TRACES, (trace, events) -> {
            summaries.onEvents(trace, events);
            List<LiveEvent> encoded = events.stream().map(LiveEvent::of).toList();
            open.forEach(s -> s.deliver(encoded));
        });
        store.append(TRACE, SpanBatches.span(TRACE, 1));

        List<Client> clients = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger next = new AtomicInteger(1);
        List<Future<?>> tasks = new ArrayList<>();
        try (LockOrderProbe probe = LockOrderProbe.start(LockOrder.DOCUMENTED)) {
            for (int t = 0; t < APPENDERS; t++) {
                tasks.add(workers.submit(() -> {
                    int n;
                    while ((n = next.incrementAndGet()) <= SPANS) {
                        store.append(TRACE, SpanBatches.span(TRACE, n));
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                tasks.add(workers.submit(() -> {
                    while (running.get()) {
                        summaries.summary(TRACE).orElseThrow();
                    }
                }));
            }
            tasks.add(workers.submit(() -> {
                while (running.get()) {
                    open.forEach(TraceStream::heartbeat);
                    sleep(2);
                }
            }));
            for (int i = 0; i < STREAMS; i++) { // clients join while the trace is written
                Client client = new Client(i % 4 == 3);
                Supplier<Optional<String>> summary = null;
                if (i % 2 == 0) {
                    Supplier<Optional<io.tracestream.domain.summary.TraceSummary>> current = summaries.forStream(TRACE);
                    summary = () -> current.get().map(TraceSummaryJson::write);
                }
                client.stream = new TraceStream(TRACE, null, null, null, summary, client.end, store,
                        writers, e -> !client.filtered || e.eventType().equals("llm_call"), SETTINGS, Instant.MAX,
                        Clock.systemUTC(), registry);
                clients.add(client);
                open.add(client.stream);
                store.watch(TRACE);
                client.stream.start();
                sleep(5);
            }
            try {
                for (Future<?> task : tasks.subList(0, APPENDERS)) {
                    task.get(60, TimeUnit.SECONDS);
                }
                store.append(TRACE, SpanBatches.workflowCompleted(TRACE));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (closed.get() < STREAMS && System.nanoTime() < deadline) {
                    sleep(10);
                }
                running.set(false);
                for (Future<?> task : tasks) {
                    task.get(30, TimeUnit.SECONDS);
                }
            } catch (TimeoutException e) {
                probe.assertNoViolation();
                throw new AssertionError("the engine did not finish within a minute", e);
            }
            probe.assertNoViolation();
        }

        assertEquals(STREAMS, closed.get(), "every stream ended");
        List<String> stored = store.read(TRACE, null, 1_000_000).stream().map(StoredEvent::id).toList();
        List<String> llmCalls = store.read(TRACE, null, 1_000_000).stream()
                .filter(e -> e.eventType().equals("llm_call")).map(StoredEvent::id).toList();
        for (Client client : clients) {
            List<Message> got = client.messages();
            List<String> ids = got.stream().filter(m -> m.event() == null).map(Message::id).toList();
            assertEquals(client.filtered ? llmCalls : stored, ids, "every event once, in order");
            assertEquals("end", got.get(got.size() - 1).event());
        }
        assertTrue(stored.size() > SPANS * SpanBatches.EVENTS_PER_SPAN);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
