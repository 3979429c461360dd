package io.tracestream.domain.guards;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Error-burst guard: a set number of failed steps ({@link FailedStep}) whose timestamps lie within
 * one window of each other; failures spread wider than the window are a run that copes, not a
 * burst. Timestamps, not arrival, decide, so spans exported out of order count where they happened;
 * a failure older than the window before the latest one is too late to join a burst.
 *
 * <p>A burst is open while the run keeps failing, and resolves at the first tick a whole window
 * after the last failure was heard; a later burst in the same run is a new finding, keyed by its
 * first failure.
 */
final class ErrorBurst {

    /** The errors quoted in the evidence, at most. */
    static final int EVIDENCE_ERRORS = 10;

    private record Failure(Instant at, String eventId, String what) {}

    private final int steps;
    private final Duration window;
    /** The failures that may still be part of a burst, by timestamp. */
    private final List<Failure> recent = new ArrayList<>();
    private String openKey;
    private Instant lastFailureHeardAt;

    ErrorBurst(GuardSettings settings) {
        boolean on = settings.errorBurstSteps() > 0 && GuardSettings.isOn(settings.errorBurstWindow());
        this.steps = on ? settings.errorBurstSteps() : 0;
        this.window = settings.errorBurstWindow();
    }

    void onEvent(TraceEvent e, Instant heardAt, OpenAlerts alerts) {
        if (steps == 0 || e.timestamp() == null || !FailedStep.is(e)) {
            return;
        }
        lastFailureHeardAt = heardAt;
        Instant latest = recent.isEmpty() || e.timestamp().isAfter(recent.get(recent.size() - 1).at())
                ? e.timestamp() : recent.get(recent.size() - 1).at();
        if (e.timestamp().isBefore(latest.minus(window))) {
            return;
        }
        recent.add(new Failure(e.timestamp(), e.id(), FailedStep.describe(e)));
        recent.sort(Comparator.comparing(Failure::at));
        recent.removeIf(f -> f.at().isBefore(latest.minus(window)));
        if (openKey != null) {
            return;
        }
        List<Failure> burst = firstBurst();
        if (burst.isEmpty()) {
            return;
        }
        openKey = "error_burst:" + burst.get(0).eventId();
        var errors = JsonFactories.array();
        burst.stream().limit(EVIDENCE_ERRORS).forEach(f -> errors.add(f.what()));
        alerts.raise(RunAlert.raised(AlertKind.ERROR_BURST, AlertSeverity.WARNING,
                burst.size() + " steps failed within " + Durations.text(window) + ": " + burst.get(burst.size() - 1).what(),
                JsonFactories.object()
                        .add("failed_steps", burst.size())
                        .add("limit", steps)
                        .add("window", window.toString())
                        .add("first_failure_at", burst.get(0).at().toString())
                        .add("last_failure_at", burst.get(burst.size() - 1).at().toString())
                        .add("errors", errors)
                        .build(),
                burst.stream().map(Failure::eventId).toList(), openKey, e.timestamp()));
    }

    void onTick(Instant now, OpenAlerts alerts) {
        if (openKey != null && !now.isBefore(lastFailureHeardAt.plus(window))) {
            alerts.resolve(openKey, now);
            openKey = null;
            recent.clear();
        }
    }

    /** The run ended: a burst it had is over. */
    void reset() {
        openKey = null;
        recent.clear();
    }

    /** The earliest run of failures, {@code steps} or more, that fits in one window; empty if none. */
    private List<Failure> firstBurst() {
        for (int first = 0; first + steps <= recent.size(); first++) {
            Instant end = recent.get(first).at().plus(window);
            int last = first;
            while (last + 1 < recent.size() && !recent.get(last + 1).at().isAfter(end)) {
                last++;
            }
            if (last - first + 1 >= steps) {
                return List.copyOf(recent.subList(first, last + 1));
            }
        }
        return List.of();
    }
}
