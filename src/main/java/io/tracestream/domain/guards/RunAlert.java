package io.tracestream.domain.guards;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One finding of a run guard about one trace, as raised, or as resolved when it cleared. An alert
 * and its resolution share {@code key}: the stream, the summary and Alertmanager pair them by it,
 * and a guard raises a key at most once while it is open.
 *
 * @param kind       what was found
 * @param severity   how urgent
 * @param message    one human sentence: what, how much, against which limit
 * @param evidence   the facts behind it, snake_case (the repeated tool and its arguments and count;
 *                   the cost so far and the limit; the last event's time), for the page to show
 *                   and a runbook to read
 * @param eventIds   the stored ids of the events involved, in store order (none for a silence
 *                   but the last event heard)
 * @param key        the finding's identity within its trace, such as
 *                   {@code loop:tool:search:3f2a...}: stable, so the same finding is not raised twice
 * @param at         when it was raised: the tripping event's timestamp, or the tick's {@code now}
 *                   for the time-based guards
 * @param resolved   true on the copy that says the finding cleared
 * @param resolvedAt when it cleared ({@code null} while open)
 */
public record RunAlert(AlertKind kind, AlertSeverity severity, String message, JsonObject evidence,
                       List<String> eventIds, String key, Instant at, boolean resolved, Instant resolvedAt) {

    public RunAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(key, "key");
        eventIds = List.copyOf(eventIds);
    }

    /** A finding just raised. */
    static RunAlert raised(AlertKind kind, AlertSeverity severity, String message, JsonObject evidence,
                           List<String> eventIds, String key, Instant at) {
        return new RunAlert(kind, severity, message, evidence, eventIds, key, at, false, null);
    }

    /** This finding, cleared at {@code when}: the same key, message and evidence. */
    RunAlert resolvedAt(Instant when) {
        return new RunAlert(kind, severity, message, evidence, eventIds, key, at, true, when);
    }
}
