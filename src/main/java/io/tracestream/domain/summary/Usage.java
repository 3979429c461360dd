package io.tracestream.domain.summary;

import java.math.BigDecimal;

/**
 * Tokens and money spent by some set of events (one agent's, one model's, the whole trace's).
 *
 * @param cacheReadInputTokens the part of {@code inputTokens} read from the provider's prompt cache
 *                             (event attribute {@code cache_read_input_tokens})
 * @param reportedCostUsd      the costs the producer reported ({@code cost_usd})
 * @param estimatedCostUsd     the costs Trace Stream worked out from tokens and a price
 *                             ({@code tracestream.pricing.models} or the bundled table)
 * @param unpricedEvents       events that used tokens but whose cost could not be known: no
 *                             {@code cost_usd} and no price for their model
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadInputTokens,
                    BigDecimal reportedCostUsd, BigDecimal estimatedCostUsd, int unpricedEvents) {

    public static final Usage NONE = new Usage(0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0);

    /** The sum of the costs that are known, reported or estimated. */
    public BigDecimal knownCostUsd() {
        return reportedCostUsd.add(estimatedCostUsd);
    }

    /** The total cost, or {@code null} when part of it is unknown: a partial sum would mislead. */
    public BigDecimal costUsd() {
        return unpricedEvents == 0 ? knownCostUsd() : null;
    }

    /** True when part of the known cost is an estimate, not the producer's figure. */
    public boolean isEstimated() {
        return estimatedCostUsd.signum() > 0;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadInputTokens + other.cacheReadInputTokens,
                reportedCostUsd.add(other.reportedCostUsd), estimatedCostUsd.add(other.estimatedCostUsd),
                unpricedEvents + other.unpricedEvents);
    }
}
