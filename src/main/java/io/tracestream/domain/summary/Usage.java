package io.tracestream.domain.summary;

import java.math.BigDecimal;

/**
 * Tokens and money spent by some set of events (one agent's, one model's, the whole trace's).
 *
 * @param knownCostUsd   the sum of the costs that are known
 * @param unpricedEvents events that used tokens but whose cost could not be known: no
 *                       {@code cost_usd} and no price for their model
 */
public record Usage(long inputTokens, long outputTokens, BigDecimal knownCostUsd, int unpricedEvents) {

    public static final Usage NONE = new Usage(0, 0, BigDecimal.ZERO, 0);

    /** The total cost, or {@code null} when part of it is unknown: a partial sum would mislead. */
    public BigDecimal costUsd() {
        return unpricedEvents == 0 ? knownCostUsd : null;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                knownCostUsd.add(other.knownCostUsd), unpricedEvents + other.unpricedEvents);
    }
}
