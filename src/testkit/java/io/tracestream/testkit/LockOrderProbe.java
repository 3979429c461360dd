package io.tracestream.testkit;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watches the locks of this JVM's threads while a concurrency test runs: it samples every thread
 * about once a millisecond and records each thread it finds <em>waiting</em> for one of the
 * application's locks while holding another, unless the documented lock order allows that pair
 * (the held lock comes earlier in the order than the one waited for), and every deadlock the JVM
 * detects. A wait is what a lock-order inversion needs to become a deadlock, so a run that never
 * finds one out of order proves more than a run that happened not to hang.
 *
 * <p>A lock is named by its object's class when that class is the application's
 * ({@code io.tracestream.}), else by the class whose code takes it and the object's class,
 * {@code io.tracestream.live.SseChannel:java.lang.Object}. Locks outside the application (the
 * JDK's, the server's) are not judged.
 */
public final class LockOrderProbe implements AutoCloseable {

    private static final String APPLICATION = "io.tracestream.";
    private static final int MAX_REPORTED = 10;

    private final Map<String, Integer> rank;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long samples;

    private LockOrderProbe(List<String> order) {
        this.rank = order.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), order::indexOf));
        this.sampler = new Thread(this::sample, "lock-order-probe");
        this.sampler.setDaemon(true);
    }

    /** @param order every lock of the application, outermost first, as documented */
    public static LockOrderProbe start(List<String> order) {
        LockOrderProbe probe = new LockOrderProbe(order);
        probe.sampler.start();
        return probe;
    }

    /** How many times every thread was looked at. */
    public long samples() {
        return samples;
    }

    /** Throws with the first waits out of order (and deadlocks) found, with their stacks. */
    public void assertNoViolation() {
        stop();
        synchronized (violations) {
            if (!violations.isEmpty()) {
                throw new AssertionError(violations.size() + " lock waits out of the documented order in " + samples
                        + " samples; first ones:\n" + String.join("\n", violations.subList(0, Math.min(MAX_REPORTED, violations.size()))));
            }
        }
        if (samples == 0) {
            throw new AssertionError("the probe took no sample");
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void stop() {
        running = false;
        try {
            sampler.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        while (running) {
            long[] deadlocked = threads.findDeadlockedThreads();
            if (deadlocked != null) {
                violations.add("deadlock:\n" + Arrays.stream(threads.getThreadInfo(deadlocked, true, true))
                        .map(LockOrderProbe::describe).collect(Collectors.joining("\n")));
                running = false;
                return;
            }
            for (ThreadInfo info : threads.dumpAllThreads(true, true)) {
                check(info);
            }
            samples++;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(ThreadInfo info) {
        if (info.getThreadState() != Thread.State.BLOCKED || info.getLockInfo() == null || info.getStackTrace().length == 0) {
            return;
        }
        String wanted = name(info.getLockInfo(), info.getStackTrace()[0].getClassName());
        if (wanted == null) {
            return;
        }
        for (MonitorInfo held : info.getLockedMonitors()) {
            String holding = name(held, held.getLockedStackFrame().getClassName());
            if (holding == null || held.getIdentityHashCode() == info.getLockInfo().getIdentityHashCode()) {
                continue;
            }
            Integer outer = rank.get(holding);
            Integer inner = rank.get(wanted);
            if (outer == null || inner == null || outer >= inner) {
                violations.add("thread " + info.getThreadName() + " waits for " + wanted + " holding " + holding
                        + (outer == null || inner == null ? " (a lock the order does not name)" : "") + "\n" + describe(info));
            }
        }
    }

    private static String name(LockInfo lock, String lockingClass) {
        String objectClass = lock.getClassName();
        if (objectClass.startsWith(APPLICATION)) {
            return objectClass;
        }
        return lockingClass.startsWith(APPLICATION) ? lockingClass + ":" + objectClass : null;
    }

    private static String describe(ThreadInfo info) {
        StringBuilder out = new StringBuilder("  \"" + info.getThreadName() + "\" " + info.getThreadState()
                + (info.getLockInfo() != null ? " on " + info.getLockInfo() : "") + "\n");
        StackTraceElement[] stack = info.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 25); i++) {
            out.append("    at ").append(stack[i]).append('\n');
        }
        return out.toString();
    }
}
