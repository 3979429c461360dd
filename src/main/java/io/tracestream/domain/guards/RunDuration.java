package io.tracestream.domain.guards;

import io.tracestream.domain.JsonFactories;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Too-long guard: a running trace older than the set duration, counted from its earliest event's
 * timestamp (the alert names that event). Checked at every tick and at every event (by the event's timestamp, so a replayed
 * history says the same); raised once per run, resolved when the run ends.
 */
final class RunDuration {

    static final String KEY = "too_long";

    private final Duration max;

    RunDuration(GuardSettings settings) {
        this.max = GuardSettings.isOn(settings.maxRunDuration()) ? settings.maxRunDuration() : null;
    }

    /** Whether a check at {@code now} would raise the alert. */
    boolean due(Instant now, RunActivity run, OpenAlerts alerts) {
        return max != null && now != null && run.startedAt() != null && run.running() && !alerts.wasRaised(KEY)
                && Duration.between(run.startedAt(), now).compareTo(max) > 0;
    }

    void check(Instant now, RunActivity run, OpenAlerts alerts) {
        if (!due(now, run, alerts)) {
            return;
        }
        Duration age = Duration.between(run.startedAt(), now);
        alerts.raise(RunAlert.raised(AlertKind.TOO_LONG, AlertSeverity.WARNING,
                "run has been going for " + Durations.text(age) + " (limit " + Durations.text(max) + ")",
                JsonFactories.object()
                        .add("started_at", run.startedAt().toString())
                        .add("running_for_ms", age.toMillis())
                        .add("max_run_duration", max.toString())
                        .build(),
                run.firstEventId() == null ? List.of() : List.of(run.firstEventId()), KEY, now));
    }
}
