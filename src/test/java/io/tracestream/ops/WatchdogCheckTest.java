package io.tracestream.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.InFlightWork.Kind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog's readiness: up with its data while work moves; down, saying why in the log, while a
 * unit of work is older than stuck-after or threads of the JVM are deadlocked (real threads, really
 * deadlocked).
 */
class WatchdogCheckTest {

    private static final Duration STUCK_AFTER = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(WatchdogCheck.class.getName());

    private final AtomicLong nanos = new AtomicLong();
    private final InFlightWork work = new InFlightWork(nanos::get);
    private final DeadlockedThreads noDeadlock = new DeadlockedThreads(() -> null, nanos::get);
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void responses() {
        HealthResponses.install();
    }

    @AfterAll
    static void noResponses() {
        HealthResponses.uninstall();
    }

    @BeforeEach
    void captureLog() {
        LOG.addHandler(capture);
        LOG.setUseParentHandlers(false);
    }

    @AfterEach
    void releaseLog() {
        LOG.removeHandler(capture);
        LOG.setUseParentHandlers(true);
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    @Test
    void downWithoutReadingTheConfigurationUntilTheApplicationIsDeployed() {
        HealthCheckResponse response = new WatchdogCheck().call();
        assertEquals(Status.DOWN, response.getStatus());
        assertEquals(Optional.of(Map.of("starting", true)), response.getData());
        assertEquals(WatchdogCheck.NAME, response.getName());
    }

    @Test
    void upWithItsDataWhileNoWorkIsOlderThanStuckAfter() {
        WatchdogCheck check = WatchdogCheck.of(work, noDeadlock, STUCK_AFTER);
        assertEquals(Status.UP, check.call().getStatus());
        assertEquals(Map.of("in_flight", 0L, "stuck", 0L, "oldest_ms", 0L, "oldest_work", "none",
                "deadlocked_threads", 0L, "stuck_after_ms", 30_000L), data(check.call()));

        try (InFlightWork.Unit unit = work.begin(Kind.INGEST, "busy")) {
            advance(STUCK_AFTER);
            HealthCheckResponse busy = check.call();
            assertEquals(Status.UP, busy.getStatus(), "busy for exactly stuck-after is not stuck");
            assertEquals(Map.of("in_flight", 1L, "stuck", 0L, "oldest_ms", 30_000L, "oldest_work", "ingest",
                    "deadlocked_threads", 0L, "stuck_after_ms", 30_000L), data(busy));
        }
        assertEquals(List.of(), logged, "nothing to say while up");
    }

    @Test
    void downWhileAUnitOfWorkIsOlderThanStuckAfterSayingWhereItHangsAndUpWhenItEnds() {
        WatchdogCheck check = WatchdogCheck.of(work, noDeadlock, STUCK_AFTER);
        try (InFlightWork.Unit unit = work.begin(Kind.READ, "slow-trace")) {
            advance(Duration.ofSeconds(31));
            HealthCheckResponse stuck = check.call();
            assertEquals(Status.DOWN, stuck.getStatus());
            assertEquals(Map.of("in_flight", 1L, "stuck", 1L, "oldest_ms", 31_000L, "oldest_work", "read",
                    "deadlocked_threads", 0L, "stuck_after_ms", 30_000L), data(stuck));

            check.call();
            assertEquals(1, logged.size(), "one warning, not one per health poll: " + logged);
            LogRecord warning = logged.get(0);
            assertEquals(Level.WARNING, warning.getLevel());
            String message = warning.getMessage();
            assertTrue(message.startsWith("Not ready: 1 unit(s) of work in progress longer than PT30S"), message);
            assertTrue(message.contains("read of trace slow-trace, 31000 ms, on thread \""
                    + Thread.currentThread().getName() + "\""), message);
            assertTrue(message.contains("jcmd <pid> Thread.print"), message);
            // The stack of the stuck thread as a thread dump shows it (here the test's own thread, asking).
            assertTrue(message.contains("\"" + Thread.currentThread().getName() + "\" Id=")
                    && message.contains("io.tracestream.ops.WatchdogCheck.call(")
                    && message.contains("WatchdogCheckTest.downWhileAUnitOfWork"), message);
        }
        assertEquals(Status.UP, check.call().getStatus(), "work that ends makes the instance ready again by itself");
    }

    @Test
    void downWithTheirCountWhenTwoThreadsOfTheJvmAreDeadlocked() throws Exception {
        // Two locks taken in opposite orders. ReentrantLocks rather than monitors: the JVM finds both
        // kinds of cycle alike, and these threads can be interrupted out of theirs; deadlocked monitors
        // would stay for the rest of this JVM, whose other tests fail on any deadlock they see.
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = lockInOrder("deadlocked-a", first, second, bothHoldOne);
        Thread b = lockInOrder("deadlocked-b", second, first, bothHoldOne);
        DeadlockedThreads jvm = new DeadlockedThreads(ManagementFactory.getThreadMXBean()::findDeadlockedThreads, nanos::get);
        WatchdogCheck check = WatchdogCheck.of(work, jvm, STUCK_AFTER);
        try {
            awaitDeadlock(a, b);
            HealthCheckResponse response = check.call();
            assertEquals(Status.DOWN, response.getStatus());
            assertEquals(2L, data(response).get("deadlocked_threads"));
            assertEquals(0L, data(response).get("stuck"), "no unit of work is involved");
            String message = logged.get(0).getMessage();
            assertTrue(message.startsWith("Not ready: 2 deadlocked threads."), message);
            assertTrue(message.contains("\"deadlocked-a\"") && message.contains("\"deadlocked-b\"")
                    && message.contains("owned by \"deadlocked-"), message);
        } finally {
            a.interrupt();
            b.interrupt();
            a.join(10_000);
            b.join(10_000);
        }
        assertTrue(!a.isAlive() && !b.isAlive(), "the deadlocked threads ended");
        advance(DeadlockedThreads.SEARCH_EVERY);
        assertEquals(Status.UP, check.call().getStatus());
    }

    /** A daemon thread (the JVM can exit should it outlive the test) taking one lock, then the other. */
    private static Thread lockInOrder(String name, ReentrantLock one, ReentrantLock other, CountDownLatch bothHoldOne) {
        Thread thread = new Thread(() -> {
            try {
                one.lockInterruptibly();
                try {
                    bothHoldOne.countDown();
                    bothHoldOne.await();
                    other.lockInterruptibly();
                    other.unlock();
                } finally {
                    one.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitDeadlock(Thread a, Thread b) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            if (ids != null && ids.length == 2) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the two threads did not deadlock: " + a.getState() + ", " + b.getState());
    }
}
