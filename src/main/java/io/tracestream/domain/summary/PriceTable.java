package io.tracestream.domain.summary;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What each model costs, in USD per million tokens, used when an event does not carry its own
 * {@code cost_usd}. Models are matched exactly: {@code gpt-4o-mini} is not priced as
 * {@code gpt-4o}, because a wrong guess is worse than an honest "unknown".
 */
public final class PriceTable {

    /** Prices are quoted per this many tokens, as providers publish them. */
    public static final BigDecimal TOKENS_PER_QUOTE = BigDecimal.valueOf(1_000_000);

    private static final String ENTRY_SEPARATOR = ",";
    private static final String MODEL_SEPARATOR = "=";
    private static final String PRICE_SEPARATOR = "/";
    private static final PriceTable EMPTY = new PriceTable(Map.of());

    private final Map<String, ModelPrice> prices;

    /** Input and output prices of one model, USD per million tokens. */
    public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

        public ModelPrice {
            if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
                throw new IllegalArgumentException("prices must be >= 0");
            }
        }

        /** Exact: no rounding, so sums do not drift and results match on every machine. */
        public BigDecimal costOf(long inputTokens, long outputTokens) {
            BigDecimal perQuote = inputPerMillion.multiply(BigDecimal.valueOf(inputTokens))
                    .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)));
            return perQuote.divide(TOKENS_PER_QUOTE);
        }
    }

    public PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
    }

    public static PriceTable empty() {
        return EMPTY;
    }

    /**
     * Reads {@code model=input/output} entries separated by commas, such as
     * {@code gpt-4o=2.50/10.00,claude-3-5-sonnet=3/15}. Blank text is an empty table.
     *
     * @throws IllegalArgumentException naming the entry that is wrong, so a bad setting fails at
     *                                  start-up with a message an operator can act on
     */
    public static PriceTable parse(String config) {
        if (config == null || config.isBlank()) {
            return EMPTY;
        }
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        for (String rawEntry : config.split(ENTRY_SEPARATOR)) {
            String entry = rawEntry.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.lastIndexOf(MODEL_SEPARATOR);
            int slash = entry.lastIndexOf(PRICE_SEPARATOR);
            if (equals <= 0 || slash < equals) {
                throw badEntry(entry, "expected model=input/output");
            }
            String model = entry.substring(0, equals).strip();
            BigDecimal input = price(entry, entry.substring(equals + 1, slash));
            BigDecimal output = price(entry, entry.substring(slash + 1));
            if (prices.put(model, new ModelPrice(input, output)) != null) {
                throw badEntry(entry, "model " + model + " is priced twice");
            }
        }
        return new PriceTable(prices);
    }

    private static BigDecimal price(String entry, String text) {
        try {
            BigDecimal price = new BigDecimal(text.strip());
            if (price.signum() < 0) {
                throw badEntry(entry, "prices must be >= 0");
            }
            return price;
        } catch (NumberFormatException e) {
            throw badEntry(entry, "'" + text.strip() + "' is not a number");
        }
    }

    private static IllegalArgumentException badEntry(String entry, String problem) {
        return new IllegalArgumentException("price table entry '" + entry + "': " + problem
                + " (USD per million tokens, e.g. gpt-4o=2.50/10.00)");
    }

    public Optional<ModelPrice> priceOf(String model) {
        return Optional.ofNullable(model == null ? null : prices.get(model));
    }

    public Map<String, ModelPrice> prices() {
        return prices;
    }
}
