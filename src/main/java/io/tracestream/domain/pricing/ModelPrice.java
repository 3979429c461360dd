package io.tracestream.domain.pricing;

import java.math.BigDecimal;

/**
 * What a model's tokens cost, in USD per million tokens, as providers publish them.
 *
 * @param cacheReadPerMillion the price of input tokens read from the provider's prompt cache, or
 *                            {@code null} when the table has none: they then cost the input price
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cacheReadPerMillion) {

    /** Prices are quoted per this many tokens. */
    public static final BigDecimal TOKENS_PER_QUOTE = BigDecimal.valueOf(1_000_000);

    public ModelPrice {
        if (inputPerMillion == null || outputPerMillion == null) {
            throw new IllegalArgumentException("input and output prices are required");
        }
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0
                || cacheReadPerMillion != null && cacheReadPerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /** A price with no cache-read price of its own. */
    public ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
        this(inputPerMillion, outputPerMillion, null);
    }

    /** Exact: no rounding, so sums do not drift and results match on every machine. */
    public BigDecimal costOf(long inputTokens, long outputTokens) {
        return costOf(inputTokens, 0, outputTokens);
    }

    /**
     * The cost of a call whose input included {@code cacheReadTokens} read from the prompt cache.
     * As the OpenTelemetry GenAI conventions count them, cache reads are part of the input tokens,
     * not added to them: they are taken out of the input and priced at the cache-read price. More
     * cache reads than input tokens cannot be, so at most all the input is counted as cached.
     */
    public BigDecimal costOf(long inputTokens, long cacheReadTokens, long outputTokens) {
        long cached = cacheReadPerMillion == null ? 0 : Math.min(Math.max(cacheReadTokens, 0), inputTokens);
        BigDecimal perQuote = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens - cached))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)));
        if (cached > 0) {
            perQuote = perQuote.add(cacheReadPerMillion.multiply(BigDecimal.valueOf(cached)));
        }
        return perQuote.divide(TOKENS_PER_QUOTE);
    }
}
