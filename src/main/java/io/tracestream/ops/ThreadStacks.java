package io.tracestream.ops;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Some threads' stacks and locks, written as a thread dump writes them, for a log line. Not
 * {@code ThreadInfo.toString()}: it stops at 8 frames, and a thread waiting for a
 * {@code ReentrantLock} spends about 6 of them inside the lock before the caller that matters.
 */
final class ThreadStacks {

    static final int MAX_FRAMES = 40;

    private ThreadStacks() {}

    /** The threads still alive among {@code ids}; empty when none is. */
    static String of(long... ids) {
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true);
        return Arrays.stream(infos).filter(Objects::nonNull).map(ThreadStacks::format).collect(Collectors.joining());
    }

    static String format(ThreadInfo info) {
        StringBuilder out = new StringBuilder("\"").append(info.getThreadName()).append("\" Id=")
                .append(info.getThreadId()).append(' ').append(info.getThreadState());
        if (info.getLockInfo() != null) {
            out.append(" on ").append(info.getLockInfo());
        }
        if (info.getLockOwnerName() != null) {
            out.append(" owned by \"").append(info.getLockOwnerName()).append("\" Id=").append(info.getLockOwnerId());
        }
        out.append('\n');
        StackTraceElement[] stack = info.getStackTrace();
        for (int depth = 0; depth < Math.min(stack.length, MAX_FRAMES); depth++) {
            out.append("\tat ").append(stack[depth]).append('\n');
            for (MonitorInfo monitor : info.getLockedMonitors()) {
                if (monitor.getLockedStackDepth() == depth) {
                    out.append("\t-  locked ").append(monitor).append('\n');
                }
            }
        }
        if (stack.length > MAX_FRAMES) {
            out.append("\t...\n");
        }
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        if (synchronizers.length > 0) {
            out.append("\tLocked synchronizers: ").append(Arrays.toString(synchronizers)).append('\n');
        }
        return out.append('\n').toString();
    }
}
