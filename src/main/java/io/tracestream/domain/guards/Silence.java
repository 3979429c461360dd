package io.tracestream.domain.guards;

import io.tracestream.domain.JsonFactories;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Silent-run guard: a running trace not heard from ({@link RunActivity#lastHeardAt}) for the set
 * duration, with no span in flight ({@link InFlightSpans}). Raised at a tick; resolved by the next
 * event of the trace, whatever it is, at the time that event was heard. Each silence is a finding of
 * its own, keyed by the last event before it.
 */
final class Silence {

    private final Duration after;

    Silence(GuardSettings settings) {
        this.after = GuardSettings.isOn(settings.silentAfter()) ? settings.silentAfter() : null;
    }

    /**
     * An event arrived: a silence is broken, whoever found it (another instance may have raised it
     * and this one adopted it from the history).
     */
    void heard(Instant heardAt, OpenAlerts alerts) {
        alerts.resolveKind(AlertKind.SILENT, heardAt);
    }

    /** Whether a tick at {@code now} would raise a silence. */
    boolean due(Instant now, RunActivity run, InFlightSpans inFlight, OpenAlerts alerts) {
        return after != null && !alerts.isOpen(AlertKind.SILENT) && run.running() && !inFlight.any()
                && Duration.between(run.lastHeardAt(), now).compareTo(after) >= 0
                && !alerts.wasRaised(key(run));
    }

    void onTick(Instant now, RunActivity run, InFlightSpans inFlight, OpenAlerts alerts) {
        if (!due(now, run, inFlight, alerts)) {
            return;
        }
        Duration quiet = Duration.between(run.lastHeardAt(), now);
        String key = key(run);
        var evidence = JsonFactories.object()
                .add("silent_for_ms", quiet.toMillis())
                .add("silent_after", after.toString())
                .add("last_heard_at", run.lastHeardAt().toString());
        if (run.lastEventAt() != null) {
            evidence.add("last_event_at", run.lastEventAt().toString());
        }
        if (run.lastEventId() != null) {
            evidence.add("last_event_id", run.lastEventId());
        }
        alerts.raise(RunAlert.raised(AlertKind.SILENT, AlertSeverity.WARNING,
                "no event for " + Durations.text(quiet) + " (limit " + Durations.text(after) + "), nothing in flight",
                evidence.build(), run.lastEventId() == null ? List.of() : List.of(run.lastEventId()), key, now));
    }

    /** Each silence is its own finding, named by the last event before it. */
    private static String key(RunActivity run) {
        return "silent:" + run.lastEventId();
    }
}
