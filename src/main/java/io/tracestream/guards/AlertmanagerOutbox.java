package io.tracestream.guards;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.guards.RunAlert;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the poster remembers and what it owes Alertmanager: every finding still open (re-posted every
 * {@code repostEvery}, so Alertmanager keeps it firing) and every resolution not yet taken. Not
 * thread-safe: the poster guards it with its lock. Times come in as arguments, so the tests decide
 * what {@code now} is.
 *
 * <p>Bounded: at most {@code capacity} findings. A new one beyond that first drops the oldest
 * resolution still owed (harmless: Alertmanager resolves that alert by itself once the endsAt of its
 * last firing post passes), and only when there is none the oldest open finding (Alertmanager then
 * resolves it after its endsAt: a loss, counted for a warning).
 *
 * <p>Two clocks bound a resolution: it is retried until Alertmanager takes it, or until
 * {@link #firingValidity} after it was heard of: by then every firing post of it, from this instance
 * or another, has passed its endsAt, so Alertmanager has resolved it by itself.
 */
final class AlertmanagerOutbox {

    /**
     * How many repost intervals a firing post keeps the alert firing: Prometheus' rule (its alerts'
     * endsAt is 4 resend intervals ahead), so three lost re-posts in a row do not resolve it, and an
     * alert whose every instance died resolves by itself soon after.
     */
    static final int REPOSTS_PER_VALIDITY = 4;

    private final AlertmanagerAlert format;
    private final Duration repostEvery;
    private final Duration firingValidity;
    private final int capacity;
    /** By finding (trace id and key), oldest first. */
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private Instant nextRepostAt;
    private final boolean repostsItself;
    private long dropped;

    /** One finding as remembered. {@code version} counts changes, so a post taken does not hide a later change. */
    private static final class Finding {
        final String traceId;
        final Instant startsAt;
        String agent;
        RunAlert alert;
        Instant resolvedAt;
        Instant resolutionHeardAt;
        boolean owed = true;
        long version;

        Finding(String traceId, String agent, RunAlert alert, Instant startsAt) {
            this.traceId = traceId;
            this.agent = agent;
            this.alert = alert;
            this.startsAt = startsAt;
        }

        boolean resolved() {
            return resolvedAt != null;
        }
    }

    /** One owed alert as it is to be posted: copied under the poster's lock, turned into JSON outside it. */
    private record Owed(String traceId, String agent, RunAlert alert, Instant startsAt, Instant endsAt) {}

    /** What one POST carries: the owed alerts, and which versions of which findings they were. */
    static final class Batch {
        private final List<Owed> owed;
        private final Map<String, Long> versions;
        private final AlertmanagerAlert format;

        private Batch(List<Owed> owed, Map<String, Long> versions, AlertmanagerAlert format) {
            this.owed = owed;
            this.versions = versions;
            this.format = format;
        }

        /** The request body: built on each call, by the worker outside the lock the callers take. */
        JsonArray alerts() {
            JsonArrayBuilder json = JsonFactories.array();
            owed.forEach(o -> json.add(format.toJson(o.traceId(), o.agent(), o.alert(), o.startsAt(), o.endsAt())));
            return json.build();
        }

        boolean isEmpty() {
            return versions.isEmpty();
        }

        int size() {
            return versions.size();
        }
    }

    AlertmanagerOutbox(AlertmanagerAlert format, Duration repostEvery, int capacity) {
        this(format, repostEvery, capacity, true);
    }

    /**
     * @param repostsItself whether open findings are owed again every {@code repostEvery} by this
     *                      outbox's own clock, or only when the caller says they still last
     *                      ({@link #repost}): a caller that first makes sure a finding has not
     *                      been resolved elsewhere never re-fires a resolved alert
     */
    AlertmanagerOutbox(AlertmanagerAlert format, Duration repostEvery, int capacity, boolean repostsItself) {
        this.repostsItself = repostsItself;
        if (repostEvery.isZero() || repostEvery.isNegative()) {
            throw new IllegalArgumentException("repostEvery must be positive: " + repostEvery);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.format = format;
        this.repostEvery = repostEvery;
        this.firingValidity = repostEvery.multipliedBy(REPOSTS_PER_VALIDITY);
        this.capacity = capacity;
    }

    /**
     * A finding was raised: owed at once. Raised again while open, its message and evidence are
     * updated and its start kept; raised after its resolution, nothing (a key is raised once in a run,
     * and the resolution is the later news).
     */
    void raised(String traceId, String agent, RunAlert alert, Instant now) {
        String id = id(traceId, alert);
        Finding known = findings.get(id);
        if (known != null) {
            if (!known.resolved()) {
                known.agent = agent;
                known.alert = alert;
            }
            return;
        }
        add(id, new Finding(traceId, agent, alert, startOf(alert, now)));
        if (repostsItself && nextRepostAt == null) {
            nextRepostAt = now.plus(repostEvery);
        }
    }

    /**
     * The caller knows the finding still lasts: it is owed again now (posted with a fresh endsAt),
     * as a finding raised if this outbox did not know it.
     */
    void repost(String traceId, String agent, RunAlert alert, Instant now) {
        Finding known = findings.get(id(traceId, alert));
        if (known == null) {
            raised(traceId, agent, alert, now);
        } else if (!known.resolved()) {
            known.owed = true;
            known.version++;
        }
    }

    /**
     * A finding was resolved: its resolution is owed at once, also when this instance never heard of
     * it being raised (another instance posted it, or this one restarted since).
     */
    void resolved(String traceId, String agent, RunAlert alert, Instant now) {
        String id = id(traceId, alert);
        Finding f = findings.get(id);
        if (f == null) {
            f = new Finding(traceId, agent, alert, startOf(alert, now));
            add(id, f);
        } else if (f.resolved()) {
            return;
        }
        Instant when = alert.resolvedAt() == null ? now : alert.resolvedAt();
        // Alertmanager counts an alert resolved when its endsAt has passed by its own clock, and
        // refuses an endsAt before startsAt: a resolution stamped by a fast clock would fire on.
        f.resolvedAt = latest(f.startsAt, earliest(when, now));
        f.resolutionHeardAt = now;
        f.alert = alert;
        if (agent != null) {
            f.agent = agent;
        }
        f.owed = true;
        f.version++;
    }

    /**
     * Time passes: when the repost is due every open finding is owed again, and resolutions older
     * than {@link #firingValidity} are forgotten (Alertmanager has resolved them by itself).
     */
    void tick(Instant now) {
        Iterator<Finding> it = findings.values().iterator();
        while (it.hasNext()) {
            Finding f = it.next();
            if (f.resolved() && !now.isBefore(f.resolutionHeardAt.plus(firingValidity))) {
                it.remove();
            }
        }
        if (repostsItself && nextRepostAt != null && !now.isBefore(nextRepostAt)) {
            findings.values().stream().filter(f -> !f.resolved()).forEach(f -> f.owed = true);
            nextRepostAt = hasOpen() ? now.plus(repostEvery) : null;
        }
    }

    /** Up to {@code max} owed alerts, oldest finding first; firing ones valid until {@code now} plus the validity. */
    Batch owed(Instant now, int max) {
        List<Owed> owed = new ArrayList<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (Map.Entry<String, Finding> e : findings.entrySet()) {
            if (versions.size() == max) {
                break;
            }
            Finding f = e.getValue();
            if (f.owed) {
                Instant endsAt = f.resolved() ? f.resolvedAt : now.plus(firingValidity);
                owed.add(new Owed(f.traceId, f.agent, f.alert, f.startsAt, endsAt));
                versions.put(e.getKey(), f.version);
            }
        }
        return new Batch(owed, versions, format);
    }

    /** Alertmanager took the batch: nothing of it is owed any more, unless changed since; resolutions are forgotten. */
    void taken(Batch batch) {
        batch.versions.forEach((id, version) -> {
            Finding f = findings.get(id);
            if (f != null && f.version == version) {
                if (f.resolved()) {
                    findings.remove(id);
                } else {
                    f.owed = false;
                }
            }
        });
    }

    boolean anyOwed() {
        return findings.values().stream().anyMatch(f -> f.owed);
    }

    /** When the open findings are next re-posted; null when none is open. */
    Instant nextRepostAt() {
        return hasOpen() ? nextRepostAt : null;
    }

    /** How many findings are remembered (open, or with a resolution owed). */
    int size() {
        return findings.size();
    }

    /** How many open findings were dropped for room since the last call; reset. */
    long takeDroppedOpen() {
        long n = dropped;
        dropped = 0;
        return n;
    }

    private boolean hasOpen() {
        return findings.values().stream().anyMatch(f -> !f.resolved());
    }

    private void add(String id, Finding f) {
        if (findings.size() >= capacity) {
            makeRoom();
        }
        findings.put(id, f);
    }

    private void makeRoom() {
        String victim = null;
        for (Map.Entry<String, Finding> e : findings.entrySet()) {
            if (e.getValue().resolved()) {
                victim = e.getKey();
                break;
            }
        }
        if (victim == null) {
            victim = findings.keySet().iterator().next();
            dropped++;
        }
        findings.remove(victim);
    }

    /**
     * When it started firing: when it was raised, but never in the future of this clock (a fast
     * client clock stamped the event; Alertmanager would show an alert from the future).
     */
    private static Instant startOf(RunAlert alert, Instant now) {
        return alert.at() == null ? now : earliest(alert.at(), now);
    }

    /** A finding's identity in Alertmanager: its trace and its key (the key is unique within its trace). */
    private static String id(String traceId, RunAlert alert) {
        return traceId + '\n' + alert.key();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** For a test: the ids of the remembered findings, oldest first. */
    List<String> ids() {
        return new ArrayList<>(findings.keySet());
    }
}
