package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adds up tokens and cost as events arrive. An event's cost is its own {@code cost_usd} (reported);
 * failing that, its tokens priced by the {@link PriceTable} (estimated), with the provider the event
 * names and the price in force at its timestamp; failing that, unknown. Only events that report
 * usage (a cost, tokens or a model) take part, so a task event costs nothing rather than unknown.
 * Public for the run guards' budget, which must see the same cost as the summary.
 */
public final class UsageLedger {

    private final PriceTable prices;
    private Usage total = Usage.NONE;
    private final Map<String, Usage> byAgent = new TreeMap<>();
    private final Map<String, Usage> byModel = new TreeMap<>();
    private final TreeSet<String> modelsWithoutPrice = new TreeSet<>();

    public UsageLedger(PriceTable prices) {
        this.prices = prices;
    }

    public void record(TraceEvent e) {
        if (!reportsUsage(e)) {
            return;
        }
        long input = EventCost.inputTokens(e);
        long output = EventCost.outputTokens(e);
        long cacheRead = EventCost.cacheReadTokens(e);
        Usage usage;
        if (e.costUsd() != null) {
            usage = new Usage(input, output, cacheRead, e.costUsd(), BigDecimal.ZERO, 0);
        } else {
            Optional<BigDecimal> estimate = EventCost.estimate(e, prices);
            usage = new Usage(input, output, cacheRead, BigDecimal.ZERO, estimate.orElse(BigDecimal.ZERO),
                    estimate.isPresent() ? 0 : 1);
            if (estimate.isEmpty() && e.model() != null) {
                modelsWithoutPrice.add(e.model());
            }
        }
        total = total.plus(usage);
        byAgent.merge(e.agentId(), usage, Usage::plus);
        if (e.model() != null) {
            byModel.merge(e.model(), usage, Usage::plus);
        }
    }

    private static boolean reportsUsage(TraceEvent e) {
        return e.costUsd() != null || e.inputTokens() != null || e.outputTokens() != null || e.model() != null;
    }

    /** The whole trace's usage so far: what the summary's {@code usage.total} says. */
    public Usage total() {
        return total;
    }

    UsageSummary snapshot() {
        return new UsageSummary(total,
                Collections.unmodifiableMap(new TreeMap<>(byAgent)),
                Collections.unmodifiableMap(new TreeMap<>(byModel)),
                Collections.unmodifiableList(new ArrayList<>(modelsWithoutPrice)),
                prices.origin().orElse(null));
    }
}
