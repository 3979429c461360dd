package io.tracestream.domain.guards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place that decides whether a finding is news: a key is raised at most once in a run (a
 * guard may report the same loop at every further call, the run hears of it once), and a key is
 * resolved only while it is open. Guards whose findings can happen again in one run (a silence, an
 * error burst) give each occurrence its own key. While the run has ended, nothing is raised: what a
 * finished run did is in its summary, and an alert nobody can act on would never clear.
 */
final class OpenAlerts {

    private final Map<String, RunAlert> open = new LinkedHashMap<>();
    private final Set<String> raisedEver = new HashSet<>();
    private final List<RunAlert> news = new ArrayList<>();
    private boolean quiet;

    /** Raises the alert unless its key was raised before in this run, or the run has ended. */
    void raise(RunAlert alert) {
        if (quiet || !raisedEver.add(alert.key())) {
            return;
        }
        open.put(alert.key(), alert);
        news.add(alert);
    }

    /** Resolves the key's alert if it is open; nothing otherwise. */
    void resolve(String key, Instant at) {
        RunAlert alert = open.remove(key);
        if (alert != null) {
            news.add(alert.resolvedAt(at));
        }
    }

    /** Resolves every open alert of the kind. */
    void resolveKind(AlertKind kind, Instant at) {
        open.values().stream().filter(a -> a.kind() == kind).map(RunAlert::key).toList()
                .forEach(key -> resolve(key, at));
    }

    boolean isOpen(AlertKind kind) {
        return open.values().stream().anyMatch(a -> a.kind() == kind);
    }

    /**
     * Takes in a finding as stored in the trace's history (by this instance, or by another that
     * found it first): open or resolved as it says, known as raised, and no news.
     */
    void adopt(RunAlert stored) {
        raisedEver.add(stored.key());
        if (stored.resolved()) {
            open.remove(stored.key());
        } else if (!quiet) {
            open.putIfAbsent(stored.key(), stored);
        }
    }

    /** Resolves every open alert: the run has ended. */
    void resolveAll(Instant at) {
        List.copyOf(open.keySet()).forEach(key -> resolve(key, at));
    }

    boolean wasRaised(String key) {
        return raisedEver.contains(key);
    }

    /** Whether raising is paused: true while the run has ended. */
    void quiet(boolean runHasEnded) {
        this.quiet = runHasEnded;
    }

    /** The alerts raised or resolved since the last call, in order; cleared. */
    List<RunAlert> drain() {
        if (news.isEmpty()) {
            return List.of();
        }
        List<RunAlert> out = List.copyOf(news);
        news.clear();
        return out;
    }

    /** The alerts raised and not yet resolved, in the order they were raised. */
    List<RunAlert> open() {
        return List.copyOf(open.values());
    }
}
