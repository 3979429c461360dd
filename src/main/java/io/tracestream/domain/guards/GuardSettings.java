package io.tracestream.domain.guards;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Every threshold of the run guards, in one place. Each guard is switched off by a count of
 * {@code 0}, or a limit or duration that is {@code null} or zero; {@link #defaults()} is what the
 * issue asks for: everything on with a sensible threshold but the budget (no limit is sensible for
 * every team) and the run duration (runs last from seconds to hours).
 *
 * @param sameToolCalls        a tool called with the same arguments this many times in one run is a
 *                             loop (what "the same arguments" means: {@link ToolCallKey})
 * @param handoffCycles        the same agent-to-agent hand-off cycle (planner to coder and back) this
 *                             many times in one run is a loop ({@link HandoffCycles})
 * @param modelCallsPerAgent   one agent making more model calls than this in one run is a loop
 * @param maxRunCostUsd        the run's cost limit in USD, as the summary computes its cost
 * @param maxRunTokens         the run's limit of input plus output tokens
 * @param budgetWarningRatio   the share of a budget limit at which a warning comes first (0.8 is 80%);
 *                             the limit itself is critical
 * @param silentAfter          a running trace with no event and nothing in flight for this long is silent
 * @param errorBurstSteps      this many failed steps ...
 * @param errorBurstWindow     ... within this long of each other are a burst
 * @param maxRunDuration       a running trace older than this has run too long
 */
public record GuardSettings(
        int sameToolCalls,
        int handoffCycles,
        int modelCallsPerAgent,
        BigDecimal maxRunCostUsd,
        Long maxRunTokens,
        BigDecimal budgetWarningRatio,
        Duration silentAfter,
        int errorBurstSteps,
        Duration errorBurstWindow,
        Duration maxRunDuration) {

    public static final int DEFAULT_SAME_TOOL_CALLS = 4;
    public static final int DEFAULT_HANDOFF_CYCLES = 4;
    public static final int DEFAULT_MODEL_CALLS_PER_AGENT = 50;
    public static final BigDecimal DEFAULT_BUDGET_WARNING_RATIO = new BigDecimal("0.8");
    public static final Duration DEFAULT_SILENT_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_ERROR_BURST_STEPS = 3;
    public static final Duration DEFAULT_ERROR_BURST_WINDOW = Duration.ofSeconds(60);

    private static final GuardSettings DEFAULTS = new GuardSettings(DEFAULT_SAME_TOOL_CALLS, DEFAULT_HANDOFF_CYCLES,
            DEFAULT_MODEL_CALLS_PER_AGENT, null, null, DEFAULT_BUDGET_WARNING_RATIO, DEFAULT_SILENT_AFTER,
            DEFAULT_ERROR_BURST_STEPS, DEFAULT_ERROR_BURST_WINDOW, null);

    /** @throws IllegalArgumentException naming the setting, so a bad one fails at start-up */
    public GuardSettings {
        atLeastZero("same-tool-calls", sameToolCalls);
        atLeastZero("handoff-cycles", handoffCycles);
        atLeastZero("model-calls-per-agent", modelCallsPerAgent);
        atLeastZero("error-burst-steps", errorBurstSteps);
        if (maxRunCostUsd != null && maxRunCostUsd.signum() < 0) {
            throw new IllegalArgumentException("max-run-cost-usd must be >= 0, was " + maxRunCostUsd);
        }
        if (maxRunTokens != null && maxRunTokens < 0) {
            throw new IllegalArgumentException("max-run-tokens must be >= 0, was " + maxRunTokens);
        }
        if (budgetWarningRatio != null && (budgetWarningRatio.signum() < 0 || budgetWarningRatio.compareTo(BigDecimal.ONE) > 0)) {
            throw new IllegalArgumentException("budget-warning-ratio must be between 0 and 1, was " + budgetWarningRatio);
        }
        notNegative("silent-after", silentAfter);
        notNegative("error-burst-window", errorBurstWindow);
        notNegative("max-run-duration", maxRunDuration);
    }

    /** Loops, silence and error bursts on with the thresholds; no budget, no run duration limit. */
    public static GuardSettings defaults() {
        return DEFAULTS;
    }

    public GuardSettings withSameToolCalls(int n) {
        return new GuardSettings(n, handoffCycles, modelCallsPerAgent, maxRunCostUsd, maxRunTokens, budgetWarningRatio,
                silentAfter, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withHandoffCycles(int n) {
        return new GuardSettings(sameToolCalls, n, modelCallsPerAgent, maxRunCostUsd, maxRunTokens, budgetWarningRatio,
                silentAfter, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withModelCallsPerAgent(int n) {
        return new GuardSettings(sameToolCalls, handoffCycles, n, maxRunCostUsd, maxRunTokens, budgetWarningRatio,
                silentAfter, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withBudget(BigDecimal costUsd, Long tokens) {
        return new GuardSettings(sameToolCalls, handoffCycles, modelCallsPerAgent, costUsd, tokens, budgetWarningRatio,
                silentAfter, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withBudgetWarningRatio(BigDecimal ratio) {
        return new GuardSettings(sameToolCalls, handoffCycles, modelCallsPerAgent, maxRunCostUsd, maxRunTokens, ratio,
                silentAfter, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withSilentAfter(Duration d) {
        return new GuardSettings(sameToolCalls, handoffCycles, modelCallsPerAgent, maxRunCostUsd, maxRunTokens,
                budgetWarningRatio, d, errorBurstSteps, errorBurstWindow, maxRunDuration);
    }

    public GuardSettings withErrorBurst(int steps, Duration window) {
        return new GuardSettings(sameToolCalls, handoffCycles, modelCallsPerAgent, maxRunCostUsd, maxRunTokens,
                budgetWarningRatio, silentAfter, steps, window, maxRunDuration);
    }

    public GuardSettings withMaxRunDuration(Duration d) {
        return new GuardSettings(sameToolCalls, handoffCycles, modelCallsPerAgent, maxRunCostUsd, maxRunTokens,
                budgetWarningRatio, silentAfter, errorBurstSteps, errorBurstWindow, d);
    }

    /** {@code null} or zero: that guard is off. */
    static boolean isOn(Duration d) {
        return d != null && !d.isZero();
    }

    /** {@code null} or zero: that limit is off. */
    static boolean isOn(BigDecimal limit) {
        return limit != null && limit.signum() > 0;
    }

    /** {@code null} or zero: that limit is off. */
    static boolean isOn(Long limit) {
        return limit != null && limit > 0;
    }

    private static void atLeastZero(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 (0 switches it off), was " + value);
        }
    }

    private static void notNegative(String name, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative (zero switches it off), was " + d);
        }
    }
}
