package io.tracestream.live;

import io.tracestream.store.EventStore;
import io.tracestream.store.TraceActivity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which traces received events since the last look, read from the store's index of traces by last
 * activity, for the list streams. Why not from the live events: an instance receives the events of
 * the traces its clients stream only, and a list shows every trace. The activity is the store's
 * clock (for Redis, the id of the trace's newest event), so the instances' clocks do not matter.
 * Not thread-safe: one thread looks.
 */
final class ChangedTraces {

    /** Traces asked for at a time. */
    private static final int PAGE = 100;

    private final EventStore store;
    /** Each trace's activity as last answered, so a trace is not answered twice for one activity. */
    private final Map<String, Long> answered;
    /** The newest activity the last look found: the next answers traces active since. */
    private long since;
    /**
     * Traces the last look answered for its newest millisecond: an event stored later within that
     * millisecond leaves their activity as it was, so the next look answers them once more.
     */
    private Set<String> recheck = Set.of();

    /** Remembers the last activity of up to {@code remembered} traces. */
    ChangedTraces(EventStore store, int remembered) {
        this.store = store;
        this.answered = RecentlyUsed.map(remembered);
    }

    /** The next look answers traces active at or after {@code millis} (epoch ms). */
    void startFrom(long millis) {
        since = millis;
    }

    /** Traces active since the last look (or {@link #startFrom}), newest first. */
    List<String> next() {
        List<String> changed = new ArrayList<>();
        Set<String> atNewest = new HashSet<>();
        long newest = since;
        TraceActivity cursor = null;
        List<TraceActivity> page;
        do {
            page = store.recentTraces(cursor, PAGE);
            for (TraceActivity a : page) {
                if (a.lastEventMillis() < since) {
                    return finish(changed, newest, atNewest);
                }
                if (a.lastEventMillis() > newest) {
                    newest = a.lastEventMillis();
                    atNewest.clear();
                }
                Long before = answered.put(a.traceId(), a.lastEventMillis());
                if (before == null || before != a.lastEventMillis()) {
                    changed.add(a.traceId());
                    if (a.lastEventMillis() == newest) {
                        atNewest.add(a.traceId());
                    }
                } else if (recheck.contains(a.traceId())) {
                    changed.add(a.traceId());
                }
            }
            cursor = page.isEmpty() ? null : page.get(page.size() - 1);
        } while (page.size() == PAGE);
        return finish(changed, newest, atNewest);
    }

    private List<String> finish(List<String> changed, long newest, Set<String> atNewest) {
        since = newest;
        recheck = atNewest;
        return changed;
    }
}
