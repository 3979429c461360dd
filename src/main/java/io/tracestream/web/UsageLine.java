package io.tracestream.web;

import io.tracestream.domain.summary.Usage;
import java.util.List;
import java.util.Map;

/** One row of the tokens-and-cost tables, per agent or per model. */
public record UsageLine(String name, String inputTokens, String outputTokens, String cost, boolean costUnknown) {

    static UsageLine of(String name, Usage u) {
        Formats f = Formats.INSTANCE;
        String cost = u.costUsd() != null ? f.money(u.costUsd())
                : u.knownCostUsd() == null || u.knownCostUsd().signum() == 0 ? "unknown" : "≥ " + f.money(u.knownCostUsd());
        return new UsageLine(name, f.tokens(u.inputTokens()), f.tokens(u.outputTokens()), cost, u.costUsd() == null);
    }

    static List<UsageLine> of(Map<String, Usage> byName) {
        return byName.entrySet().stream().map(e -> of(e.getKey(), e.getValue())).toList();
    }
}
