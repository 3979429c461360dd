package io.tracestream.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Redis stream entry ids ({@code <millis>-<seq>}), which are also the SSE ids: ordering and figures. */
final class EntryIds {

    static final Comparator<String> ORDER = Comparator.comparingLong(EntryIds::millis).thenComparingLong(EntryIds::sequence);

    private EntryIds() {}

    static long millis(String id) {
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    static long sequence(String id) {
        return Long.parseLong(id.substring(id.indexOf('-') + 1));
    }

    static boolean isAfter(String a, String b) {
        return ORDER.compare(a, b) > 0;
    }

    static long percentile(Collection<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
