package io.tracestream.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * The streams each key holds open on this instance, against its {@code max_streams}. Streams
 * open and end rarely next to events, so one lock is enough.
 */
public final class StreamQuota {

    private final Map<String, Integer> open = new HashMap<>();

    /** Counts one more stream of {@code name}, unless it holds {@code max} already (0: no limit). */
    public synchronized boolean tryOpen(String name, int max) {
        int count = open.getOrDefault(name, 0);
        if (max > 0 && count >= max) {
            return false;
        }
        open.put(name, count + 1);
        return true;
    }

    /** One stream of {@code name} ended. */
    public synchronized void release(String name) {
        open.computeIfPresent(name, (n, count) -> count <= 1 ? null : count - 1);
    }

    public synchronized int open(String name) {
        return open.getOrDefault(name, 0);
    }
}
