package io.tracestream.live;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Which changed traces' rows the list streams send now: a trace whose row went out less than an
 * interval ago waits for the rest of it, any other goes at once. Why: the list looks for changes
 * several times per interval, so a new trace shows within a fraction of it, while a busy trace
 * still costs one row per interval however many events it gets. Not thread-safe: the list thread
 * uses it.
 */
final class RowPacer {

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    /** When each trace's row went out last; bounded like the summary cache. */
    private final Map<String, Long> sentAt;
    /** Changed traces held back until their interval has passed, in the order they changed. */
    private final Set<String> waiting = new LinkedHashSet<>();

    RowPacer(long intervalNanos, int remembered, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.sentAt = RecentlyUsed.map(remembered);
    }

    /** Of the traces that changed now and those held back before, the ones whose row goes out now. */
    List<String> due(List<String> changed) {
        waiting.addAll(changed);
        long now = nanoClock.getAsLong();
        List<String> due = new ArrayList<>();
        for (Iterator<String> i = waiting.iterator(); i.hasNext(); ) {
            String traceId = i.next();
            Long last = sentAt.get(traceId);
            if (last == null || now - last >= intervalNanos) {
                sentAt.put(traceId, now);
                due.add(traceId);
                i.remove();
            }
        }
        return due;
    }
}
