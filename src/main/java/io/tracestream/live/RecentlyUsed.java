package io.tracestream.live;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry past a bound: what the list streams remember
 * per trace (activity answered, status and time of the row sent last) stays bounded however many
 * traces pass. Not thread-safe, as its users: the list thread alone touches them.
 */
final class RecentlyUsed {

    private RecentlyUsed() {}

    static <V> Map<String, V> map(int bound) {
        return new LinkedHashMap<>(bound, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > bound;
            }
        };
    }
}
