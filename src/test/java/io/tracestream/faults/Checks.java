package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The checks every delivery scenario ends with. */
final class Checks {

    private Checks() {}

    /** Waits until every client finished (the trace's {@code end} event, or a 204). */
    static void awaitAllFinished(Collection<ResumingClient> clients, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ResumingClient c : clients) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!c.awaitFinished(Duration.ofMillis(left))) {
                long unfinished = clients.stream().filter(x -> x.finishedBy() == null).count();
                throw new AssertionError(unfinished + " of " + clients.size() + " clients did not receive their trace's end within "
                        + timeout + "; one of them (trace " + c.trace() + ", on " + c.current() + ", " + c.received()
                        + " events, last " + c.lastEventId() + ") logged " + c.log());
            }
        }
    }

    /**
     * Each client's ids against its trace's history in Redis (XRANGE): summed up. Clients
     * started after {@code startAfter} are compared with the history after that id.
     */
    static Tally tally(Cluster cluster, Collection<ResumingClient> clients) {
        Map<String, List<String>> histories = new HashMap<>();
        Tally total = Tally.ZERO;
        for (ResumingClient c : clients) {
            List<String> history = histories.computeIfAbsent(c.trace(), t -> cluster.resp().ids(cluster.traceKey(t)));
            total = total.plus(Tally.of(history, c.ids()));
        }
        return total;
    }

    static void assertPerfect(Tally tally, Collection<ResumingClient> clients) {
        if (!tally.perfect()) {
            ResumingClient worst = clients.iterator().next();
            throw new AssertionError("clients did not each receive their trace exactly once, in order: " + tally
                    + "; e.g. a client of trace " + worst.trace() + " logged " + worst.log());
        }
    }

    /**
     * What was answered 202 is in the history (never a 202 for an event not stored), and the
     * history holds each event_id once (retries were not stored twice).
     */
    static void assertStoredOnce(Cluster cluster, String trace, Collection<Producer> producers, int otherEvents) {
        List<String> history = cluster.resp().ids(cluster.traceKey(trace));
        Set<String> historySet = new HashSet<>(history);
        Set<String> accepted = new HashSet<>();
        for (Producer p : producers) {
            accepted.addAll(p.accepted(trace).values());
        }
        Set<String> missing = accepted.stream().filter(id -> !historySet.contains(id)).collect(Collectors.toSet());
        assertTrue(missing.isEmpty(), "answered 202 but not in the history of " + trace + ": " + missing);
        assertEquals(accepted.size() + otherEvents, history.size(),
                "history of " + trace + " holds each accepted event once (and " + otherEvents + " others)");
        List<String> eventIds = cluster.resp().field(cluster.traceKey(trace), "json").stream()
                .map(Checks::eventId).filter(e -> e != null).toList();
        assertEquals(eventIds.size(), new HashSet<>(eventIds).size(), "an event_id stored twice in " + trace);
    }

    static String eventId(String json) {
        int at = json.indexOf("\"event_id\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + "\"event_id\":\"".length();
        return json.substring(from, json.indexOf('"', from));
    }
}
