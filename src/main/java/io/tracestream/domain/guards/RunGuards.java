package io.tracestream.domain.guards;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.PriceTable;
import java.time.Instant;
import java.util.List;

/**
 * The run guards of one trace: fed each event stored for the trace, in store order and with its
 * {@code id} set ({@link #onEvent}), and the clock's ticks ({@link #onTick}); each returns the alerts
 * raised or resolved by it, in order, usually none. Not thread-safe: one trace's events and ticks
 * are given one at a time, as to its summary.
 *
 * <p>What each guard finds (thresholds in {@link GuardSettings}, each switchable off):
 * <table>
 * <caption>The guards</caption>
 * <tr><th>kind</th><th>finding</th><th>severity</th><th>key</th><th>resolved</th></tr>
 * <tr><td>{@code loop}</td><td>the same tool with the same arguments N times ({@link RepeatedToolCalls})</td>
 *     <td>critical</td><td>{@code loop:tool:<tool>:<arguments hash>}</td><td>when the run ends</td></tr>
 * <tr><td>{@code loop}</td><td>the same hand-off cycle N times ({@link HandoffCycles})</td>
 *     <td>critical</td><td>{@code loop:handoff:<agent>>...}</td><td>when the run ends</td></tr>
 * <tr><td>{@code loop}</td><td>one agent's model calls past M ({@link ModelCallCount})</td>
 *     <td>warning</td><td>{@code loop:model_calls:<agent>}</td><td>when the run ends</td></tr>
 * <tr><td>{@code budget}</td><td>cost or tokens at the warning ratio, then at the limit ({@link RunBudget})</td>
 *     <td>warning, then critical</td><td>{@code budget:cost|tokens:warning|critical}</td>
 *     <td>the warning by the critical; both when the run ends</td></tr>
 * <tr><td>{@code silent}</td><td>no event heard for a while, nothing in flight ({@link Silence})</td>
 *     <td>warning</td><td>{@code silent:<last event id>}</td><td>by the next event</td></tr>
 * <tr><td>{@code error_burst}</td><td>K failed steps within a window ({@link ErrorBurst})</td>
 *     <td>warning</td><td>{@code error_burst:<first failure's id>}</td><td>a window after the last failure; when the run ends</td></tr>
 * <tr><td>{@code too_long}</td><td>a running trace older than allowed ({@link RunDuration})</td>
 *     <td>warning</td><td>{@code too_long}</td><td>when the run ends</td></tr>
 * </table>
 *
 * <p>Each key is raised once in a run; nothing is raised while the run has ended
 * ({@link RunActivity}), and its end resolves every open alert: what is left is the past, in the
 * summary. Event timestamps and the {@code now} of the ticks are the only clocks, so the same events
 * and ticks give the same alerts on any machine.
 */
public final class RunGuards {

    private final RunActivity run = new RunActivity();
    private final OpenAlerts alerts = new OpenAlerts();
    private final InFlightSpans inFlight = new InFlightSpans();
    private final RepeatedToolCalls toolCalls;
    private final HandoffCycles handoffs;
    private final ModelCallCount modelCalls;
    private final RunBudget budget;
    private final ErrorBurst errorBurst;
    private final Silence silence;
    private final RunDuration duration;

    /**
     * @param prices the price table the summary uses, so the budget sees the summary's cost
     */
    public RunGuards(GuardSettings settings, PriceTable prices) {
        this.toolCalls = new RepeatedToolCalls(settings);
        this.handoffs = new HandoffCycles(settings);
        this.modelCalls = new ModelCallCount(settings);
        this.budget = new RunBudget(settings, prices);
        this.errorBurst = new ErrorBurst(settings);
        this.silence = new Silence(settings);
        this.duration = new RunDuration(settings);
    }

    /** Takes in the next event stored for the trace; returns the alerts it raised or resolved. */
    public List<RunAlert> onEvent(TraceEvent e) {
        Instant heardAt = run.heardAt(e);
        silence.heard(heardAt, alerts);
        boolean wasRunning = run.running();
        run.onEvent(e);
        inFlight.onEvent(e);
        alerts.quiet(!run.running());
        toolCalls.onEvent(e, alerts);
        handoffs.onEvent(e, alerts);
        modelCalls.onEvent(e, alerts);
        budget.onEvent(e, alerts);
        errorBurst.onEvent(e, heardAt, alerts);
        duration.check(e.timestamp(), run, alerts);
        if (wasRunning && !run.running()) {
            alerts.resolveAll(heardAt);
            inFlight.clear();
            errorBurst.reset();
        }
        return alerts.drain();
    }

    /**
     * Takes in a finding as stored in the trace's history, raised or resolved, by this instance or
     * another: it is known as raised (never raised again here) and open or resolved as stored. No
     * news comes of it. Alerts are not events of the run: they do not break a silence.
     */
    public void onStoredAlert(RunAlert stored) {
        alerts.adopt(stored);
    }

    /** The clock says {@code now}: the time-based guards look; returns the alerts raised or resolved. */
    public List<RunAlert> onTick(Instant now) {
        run.onTick(now);
        errorBurst.onTick(now, alerts);
        silence.onTick(now, run, inFlight, alerts);
        duration.check(now, run, alerts);
        return alerts.drain();
    }

    /**
     * Whether a tick at {@code now} would raise an alert (a silence, a run too long): the moment to
     * make sure no event was missed first, since a run that only looks quiet here may have been
     * heard by another instance.
     */
    public boolean mayRaiseOnTick(Instant now) {
        return silence.due(now, run, inFlight, alerts) || duration.due(now, run, alerts);
    }

    /** The alerts raised and not resolved, in the order they were raised: the summary's current alerts. */
    public List<RunAlert> openAlerts() {
        return alerts.open();
    }

    /** Whether the run is going: heard from, and not ended. */
    public boolean running() {
        return run.running();
    }

    /** Whether a span announced as started has not ended yet: the run is working, though quiet. */
    public boolean hasWorkInFlight() {
        return inFlight.any();
    }
}
