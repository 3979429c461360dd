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
 */
final class UsageLedger {

    /** Input tokens read from the prompt cache: a part of {@code input_tokens}, as the GenAI conventions count them. */
    static final String ATTR_CACHE_READ_INPUT_TOKENS = "cache_read_input_tokens";
    /** The provider that served the call, as {@code gen_ai.provider.name} spells it ({@code openai}, {@code aws.bedrock}...). */
    static final String ATTR_PROVIDER = "provider";

    private final PriceTable prices;
    private Usage total = Usage.NONE;
    private final Map<String, Usage> byAgent = new TreeMap<>();
    private final Map<String, Usage> byModel = new TreeMap<>();
    private final TreeSet<String> modelsWithoutPrice = new TreeSet<>();

    UsageLedger(PriceTable prices) {
        this.prices = prices;
    }

    void record(TraceEvent e) {
        if (!reportsUsage(e)) {
            return;
        }
        long input = e.inputTokens() == null ? 0 : e.inputTokens();
        long output = e.outputTokens() == null ? 0 : e.outputTokens();
        long cacheRead = Math.min(cacheReadTokens(e), input);
        Usage usage;
        if (e.costUsd() != null) {
            usage = new Usage(input, output, cacheRead, e.costUsd(), BigDecimal.ZERO, 0);
        } else {
            Optional<BigDecimal> estimate = prices.price(e.model(), provider(e), e.timestamp())
                    .map(priced -> priced.price().costOf(input, cacheRead, output));
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

    /** A whole number >= 0 (or its text); anything else is not a count and is taken as none. */
    private static long cacheReadTokens(TraceEvent e) {
        Object value = e.attributes().get(ATTR_CACHE_READ_INPUT_TOKENS);
        try {
            BigDecimal count = value instanceof BigDecimal number ? number
                    : value instanceof String text ? new BigDecimal(text.strip()) : null;
            return count == null || count.signum() < 0 ? 0 : count.longValueExact();
        } catch (NumberFormatException | ArithmeticException notACount) {
            return 0;
        }
    }

    private static String provider(TraceEvent e) {
        return e.attributes().get(ATTR_PROVIDER) instanceof String provider ? provider : null;
    }

    UsageSummary snapshot() {
        return new UsageSummary(total,
                Collections.unmodifiableMap(new TreeMap<>(byAgent)),
                Collections.unmodifiableMap(new TreeMap<>(byModel)),
                Collections.unmodifiableList(new ArrayList<>(modelsWithoutPrice)),
                prices.origin().orElse(null));
    }
}
