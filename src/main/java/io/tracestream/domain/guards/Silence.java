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
    private String openKey;

    Silence(GuardSettings settings) {
        this.after = GuardSettings.isOn(settings.silentAfter()) ? settings.silentAfter() : null;
    }

    /** An event arrived: a silence is broken. */
    void heard(Instant heardAt, OpenAlerts alerts) {
        if (openKey != null) {
            alerts.resolve(openKey, heardAt);
            openKey = null;
        }
    }

    void onTick(Instant now, RunActivity run, InFlightSpans inFlight, OpenAlerts alerts) {
        if (after == null || openKey != null || !run.running() || inFlight.any()) {
            return;
        }
        Duration quiet = Duration.between(run.lastHeardAt(), now);
        if (quiet.compareTo(after) < 0) {
            return;
        }
        String key = "silent:" + run.lastEventId();
        if (alerts.wasRaised(key)) {
            return;
        }
        openKey = key;
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

    /** The run ended: an open silence ended with it (resolved by the run's end). */
    void reset() {
        openKey = null;
    }
}
