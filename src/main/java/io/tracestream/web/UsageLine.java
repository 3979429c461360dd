package io.tracestream.web;

import io.tracestream.domain.summary.Usage;
import java.util.List;
import java.util.Map;

/**
 * One row of the tokens-and-cost tables, per agent or per model.
 *
 * @param costTitle the cost's tooltip when part of it is estimated from token counts, else {@code null}
 */
public record UsageLine(String name, String inputTokens, String outputTokens, String cost, boolean costUnknown,
                        String costTitle) {

    static UsageLine of(String name, Usage u) {
        Formats f = Formats.INSTANCE;
        return new UsageLine(name, f.tokens(u.inputTokens()), f.tokens(u.outputTokens()), costText(u), u.costUsd() == null,
                u.isEstimated() ? "estimated: " + f.money(u.estimatedCostUsd())
                        + " of it from token counts and model prices, not reported by the agent" : null);
    }

    /** As static/js/common.js writes it: "~" when part of a complete cost is estimated, a floor when part is unknown. */
    static String costText(Usage u) {
        Formats f = Formats.INSTANCE;
        if (u.costUsd() != null) {
            return (u.isEstimated() ? "~" : "") + f.money(u.costUsd());
        }
        return u.knownCostUsd().signum() == 0 ? "unknown" : "≥ " + f.money(u.knownCostUsd());
    }

    static List<UsageLine> of(Map<String, Usage> byName) {
        return byName.entrySet().stream().map(e -> of(e.getKey(), e.getValue())).toList();
    }
}
