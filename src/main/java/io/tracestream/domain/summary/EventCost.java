package io.tracestream.domain.summary;

import io.tracestream.domain.EventAttributes;
import io.tracestream.domain.TraceEvent;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What one event's usage cost: its own {@code cost_usd} when the producer reported one, else its
 * tokens priced by the {@link PriceTable} (the provider it names, the price in force at its
 * timestamp, cached input at the cache-read price), else unknown. The summary and the workflow
 * metrics both price events here, so they agree.
 */
public final class EventCost {

    private EventCost() {}

    /** The reported cost, else the estimate; empty when neither is known. */
    public static Optional<BigDecimal> of(TraceEvent e, PriceTable prices) {
        return e.costUsd() != null ? Optional.of(e.costUsd()) : estimate(e, prices);
    }

    /** The tokens priced by the table; empty when no price matches the model. */
    static Optional<BigDecimal> estimate(TraceEvent e, PriceTable prices) {
        long input = inputTokens(e);
        return prices.price(e.model(), provider(e), e.timestamp())
                .map(priced -> priced.price().costOf(input, cacheReadTokens(e), outputTokens(e)));
    }

    static long inputTokens(TraceEvent e) {
        return e.inputTokens() == null ? 0 : e.inputTokens();
    }

    static long outputTokens(TraceEvent e) {
        return e.outputTokens() == null ? 0 : e.outputTokens();
    }

    /** A whole number >= 0 (or its text), at most the input tokens; anything else is not a count and is taken as none. */
    static long cacheReadTokens(TraceEvent e) {
        Object value = e.attributes().get(EventAttributes.CACHE_READ_INPUT_TOKENS);
        try {
            BigDecimal count = value instanceof BigDecimal number ? number
                    : value instanceof String text ? new BigDecimal(text.strip()) : null;
            return count == null || count.signum() < 0 ? 0 : Math.min(count.longValueExact(), inputTokens(e));
        } catch (NumberFormatException | ArithmeticException notACount) {
            return 0;
        }
    }

    private static String provider(TraceEvent e) {
        return e.attributes().get(EventAttributes.PROVIDER) instanceof String provider ? provider : null;
    }
}
