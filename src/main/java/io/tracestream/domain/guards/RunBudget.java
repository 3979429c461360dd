package io.tracestream.domain.guards;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.domain.summary.Usage;
import io.tracestream.domain.summary.UsageLedger;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Budget guard: the run's cost or its tokens against a per-run limit, a warning at the warning
 * ratio of it (80%), critical at the limit. The cost is the summary's own ({@link UsageLedger}, the
 * same code the summary folds with): each event's reported {@code cost_usd}, else its tokens priced
 * by the price table. Of a run some of whose events cannot be priced, the known part is compared:
 * the run has spent at least that much, and the evidence says how many events are unpriced. Tokens
 * are input plus output tokens (cached input is part of the input).
 *
 * <p>A limit passed outright raises only the critical alert; a critical alert resolves the warning
 * it follows, so one budget alert per measure is open at a time.
 */
final class RunBudget {

    private static final int PERCENT = 100;
    /** Cost in a message: cents are too coarse for a run of small calls. */
    private static final int MESSAGE_COST_DECIMALS = 4;

    private final UsageLedger ledger;
    private final BigDecimal maxCostUsd;
    private final Long maxTokens;
    private final BigDecimal warningRatio;

    RunBudget(GuardSettings settings, PriceTable prices) {
        this.ledger = new UsageLedger(prices);
        this.maxCostUsd = GuardSettings.isOn(settings.maxRunCostUsd()) ? settings.maxRunCostUsd() : null;
        this.maxTokens = GuardSettings.isOn(settings.maxRunTokens()) ? settings.maxRunTokens() : null;
        this.warningRatio = settings.budgetWarningRatio() != null && settings.budgetWarningRatio().signum() > 0
                ? settings.budgetWarningRatio() : null;
    }

    void onEvent(TraceEvent e, OpenAlerts alerts) {
        ledger.record(e);
        if (maxCostUsd == null && maxTokens == null) {
            return;
        }
        Usage total = ledger.total();
        if (maxCostUsd != null) {
            BigDecimal cost = total.knownCostUsd();
            check("cost", cost, maxCostUsd, e, alerts, evidence -> evidence
                    .add("cost_usd", tidy(cost))
                    .add("max_run_cost_usd", tidy(maxCostUsd))
                    .add("estimated_cost_usd", tidy(total.estimatedCostUsd()))
                    .add("unpriced_events", total.unpricedEvents()),
                    "run cost $" + money(cost) + (total.unpricedEvents() > 0 ? " (at least)" : "")
                            + " of its $" + money(maxCostUsd) + " budget");
        }
        if (maxTokens != null) {
            long tokens = total.inputTokens() + total.outputTokens();
            check("tokens", BigDecimal.valueOf(tokens), BigDecimal.valueOf(maxTokens), e, alerts, evidence -> evidence
                    .add("tokens", tokens)
                    .add("max_run_tokens", maxTokens)
                    .add("input_tokens", total.inputTokens())
                    .add("output_tokens", total.outputTokens()),
                    "run used " + tokens + " tokens of its " + maxTokens + " token budget");
        }
    }

    private void check(String measure, BigDecimal used, BigDecimal limit, TraceEvent e, OpenAlerts alerts,
                       UnaryOperator<JsonObjectBuilder> facts, String what) {
        String warningKey = "budget:" + measure + ":" + AlertSeverity.WARNING.wireName();
        String criticalKey = "budget:" + measure + ":" + AlertSeverity.CRITICAL.wireName();
        AlertSeverity severity;
        if (used.compareTo(limit) >= 0) {
            severity = AlertSeverity.CRITICAL;
        } else if (warningRatio != null && used.compareTo(limit.multiply(warningRatio)) >= 0
                && !alerts.wasRaised(criticalKey)) {
            severity = AlertSeverity.WARNING;
        } else {
            return;
        }
        String key = severity == AlertSeverity.CRITICAL ? criticalKey : warningKey;
        if (alerts.wasRaised(key)) {
            return;
        }
        BigDecimal percent = used.multiply(BigDecimal.valueOf(PERCENT)).divide(limit, 0, RoundingMode.DOWN);
        JsonObjectBuilder evidence = facts.apply(JsonFactories.object().add("measure", measure))
                .add("percent", percent);
        if (warningRatio != null) {
            evidence.add("warning_ratio", tidy(warningRatio));
        }
        alerts.raise(RunAlert.raised(AlertKind.BUDGET, severity, what + " (" + percent + "%)", evidence.build(),
                List.of(e.id()), key, e.timestamp()));
        if (severity == AlertSeverity.CRITICAL) {
            alerts.resolve(warningKey, e.timestamp());
        }
    }

    private static BigDecimal tidy(BigDecimal value) {
        BigDecimal t = value.stripTrailingZeros();
        return t.scale() < 0 ? t.setScale(0) : t;
    }

    private static String money(BigDecimal value) {
        return tidy(value.setScale(MESSAGE_COST_DECIMALS, RoundingMode.HALF_UP)).toPlainString();
    }
}
