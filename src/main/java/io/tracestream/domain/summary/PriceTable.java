package io.tracestream.domain.summary;

import io.tracestream.domain.pricing.ModelPrice;
import io.tracestream.domain.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What each model costs, used when an event does not carry its own {@code cost_usd}: the operator's
 * prices ({@code tracestream.pricing.models}), which win, else the price table bundled at build time
 * ({@link PriceCatalog}, {@code @pydantic/genai-prices}), which knows how real spans spell models.
 * The operator's prices are matched exactly, by the model's name or by its name after the last
 * {@code /}: {@code gpt-4o-mini} is not priced as {@code gpt-4o}, because a wrong guess is worse
 * than an honest "unknown".
 */
public final class PriceTable {

    /** Prices are quoted per this many tokens, as providers publish them. */
    public static final BigDecimal TOKENS_PER_QUOTE = ModelPrice.TOKENS_PER_QUOTE;

    private static final String ENTRY_SEPARATOR = ",";
    private static final String MODEL_SEPARATOR = "=";
    private static final String PRICE_SEPARATOR = "/";
    private static final PriceTable EMPTY = new PriceTable(Map.of(), null);

    private final Map<String, ModelPrice> overrides;
    private final PriceCatalog catalog;

    /** Where a price came from. */
    public enum Source {
        /** {@code tracestream.pricing.models}. */
        OVERRIDE,
        /** The bundled table. */
        TABLE
    }

    /**
     * A model's price and where it came from.
     *
     * @param pricedAs the table's provider and model the name was matched to ({@code openai/gpt-4o}),
     *                 or the configured name for an override
     */
    public record Priced(ModelPrice price, Source source, String pricedAs) {}

    /**
     * @param catalog the bundled table, or {@code null} for the operator's prices alone
     */
    public PriceTable(Map<String, ModelPrice> overrides, PriceCatalog catalog) {
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        this.catalog = catalog;
    }

    public PriceTable(Map<String, ModelPrice> prices) {
        this(prices, null);
    }

    public static PriceTable empty() {
        return EMPTY;
    }

    /**
     * The operator's prices ({@link #parse}) over the table bundled in the WAR: what the
     * application prices with. Without a bundled table (a build that skipped Maven's steps) it is
     * the operator's prices alone.
     *
     * @throws IllegalArgumentException as {@link #parse} does
     */
    public static PriceTable withBundledPrices(String overrides) {
        return new PriceTable(parse(overrides).overrides, PriceCatalog.bundled().orElse(null));
    }

    /**
     * Reads {@code model=input/output} entries, USD per million tokens, separated by commas, such
     * as {@code gpt-4o=2.50/10.00,claude-3-5-sonnet=3/15}; a third price, {@code model=input/output/cache_read},
     * prices input tokens read from the prompt cache. Blank text is an empty table. Only these
     * prices: see {@link #withBundledPrices} for the bundled table too.
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
            String[] numbers = equals <= 0 ? new String[0] : entry.substring(equals + 1).split(PRICE_SEPARATOR, -1);
            if (numbers.length != 2 && numbers.length != 3) {
                throw badEntry(entry, "expected model=input/output or model=input/output/cache_read");
            }
            String model = entry.substring(0, equals).strip();
            ModelPrice price = new ModelPrice(price(entry, numbers[0]), price(entry, numbers[1]),
                    numbers.length == 3 ? price(entry, numbers[2]) : null);
            if (prices.put(model, price) != null) {
                throw badEntry(entry, "model " + model + " is priced twice");
            }
        }
        return new PriceTable(prices, null);
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
                + " (USD per million tokens, e.g. gpt-4o=2.50/10.00 or gpt-4o=2.50/10.00/1.25)");
    }

    /** The model's price now, with no provider named: for live figures such as metrics. */
    public Optional<ModelPrice> priceOf(String model) {
        return price(model, null, null).map(Priced::price);
    }

    /**
     * The model's price: the operator's, else the bundled table's.
     *
     * @param provider the provider the event names ({@code gen_ai.provider.name}), or {@code null}
     * @param at       when the call was made (table prices change on dates); {@code null} is now
     */
    public Optional<Priced> price(String model, String provider, Instant at) {
        if (model == null) {
            return Optional.empty();
        }
        ModelPrice configured = overrides.get(model);
        String configuredName = model;
        int lastSlash = model.lastIndexOf('/');
        if (configured == null && lastSlash >= 0) {
            configuredName = model.substring(lastSlash + 1);
            configured = overrides.get(configuredName);
        }
        if (configured != null) {
            return Optional.of(new Priced(configured, Source.OVERRIDE, configuredName));
        }
        if (catalog == null) {
            return Optional.empty();
        }
        return catalog.find(model, provider, at == null ? Instant.now() : at)
                .map(m -> new Priced(m.price(), Source.TABLE, m.providerId() + "/" + m.modelId()));
    }

    /** The operator's prices, by model. */
    public Map<String, ModelPrice> prices() {
        return overrides;
    }

    /** Where the bundled table comes from; empty when there is none. */
    public Optional<PriceCatalog.Origin> origin() {
        return catalog == null ? Optional.empty() : Optional.of(catalog.origin());
    }

    /** The bundled table, if any: its size and what of it could not be read, for a start-up log line. */
    public Optional<PriceCatalog> catalog() {
        return Optional.ofNullable(catalog);
    }
}
