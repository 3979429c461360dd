package io.tracestream.faults;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What clients got compared with what they should have got: every event of the trace, once
 * each, in the trace's history order.
 *
 * @param expected   events the clients should have received (summed over clients)
 * @param received   events the clients did receive, duplicates included
 * @param lost       expected events never received
 * @param duplicated events received more than once (each extra copy counts)
 * @param outOfOrder events received after an event that comes later in the history
 * @param unexpected events received that are not in the expected history at all
 */
record Tally(long clients, long expected, long received, long lost, long duplicated, long outOfOrder, long unexpected) {

    static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0);

    /** One client's sequence against the history it should have seen. */
    static Tally of(List<String> expected, List<String> received) {
        Set<String> expectedSet = new HashSet<>(expected);
        Set<String> seen = new HashSet<>();
        long duplicated = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        String last = null;
        for (String id : received) {
            if (!seen.add(id)) {
                duplicated++;
                continue;
            }
            if (!expectedSet.contains(id)) {
                unexpected++;
            }
            if (last != null && !EntryIds.isAfter(id, last)) {
                outOfOrder++;
            }
            last = id;
        }
        long lost = expected.stream().filter(id -> !seen.contains(id)).count();
        return new Tally(1, expected.size(), received.size(), lost, duplicated, outOfOrder, unexpected);
    }

    Tally plus(Tally o) {
        return new Tally(clients + o.clients, expected + o.expected, received + o.received, lost + o.lost,
                duplicated + o.duplicated, outOfOrder + o.outOfOrder, unexpected + o.unexpected);
    }

    boolean perfect() {
        return lost == 0 && duplicated == 0 && outOfOrder == 0 && unexpected == 0 && received == expected;
    }

    @Override
    public String toString() {
        return clients + " clients: expected " + expected + ", received " + received + ", lost " + lost + ", duplicated "
                + duplicated + ", out of order " + outOfOrder + ", unexpected " + unexpected;
    }
}
