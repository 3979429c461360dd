package io.tracestream.domain.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.pricing.ModelPrice;
import io.tracestream.domain.pricing.TestPriceCatalog;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final Instant AT = Instant.parse("2025-08-01T20:00:00Z");

    @Test
    void parsesModelInputAndOutputPricesPerMillionTokens() {
        PriceTable table = PriceTable.parse(" gpt-4o=2.50/10.00 , claude-3-5-sonnet=3/15,");

        assertEquals(Optional.of(new ModelPrice(new BigDecimal("2.50"), new BigDecimal("10.00"))),
                table.priceOf("gpt-4o"));
        assertEquals(new BigDecimal("0.0225"),
                table.priceOf("claude-3-5-sonnet").orElseThrow().costOf(3200, 860).stripTrailingZeros());
    }

    @Test
    void aThirdPriceIsTheCacheReadPrice() {
        assertEquals(Optional.of(new ModelPrice(new BigDecimal("2.50"), BigDecimal.TEN, new BigDecimal("1.25"))),
                PriceTable.parse("gpt-4o=2.50/10/1.25").priceOf("gpt-4o"));
    }

    @Test
    void modelsAreMatchedExactlyNotByPrefix() {
        assertEquals(Optional.empty(), PriceTable.parse("gpt-4o=2.50/10.00").priceOf("gpt-4o-mini"));
        assertEquals(Optional.empty(), PriceTable.parse("gpt-4o=2.50/10.00").priceOf("GPT-4o"));
    }

    @Test
    void anOperatorsPriceAlsoTakesTheNameAfterAProviderPrefix() {
        PriceTable table = PriceTable.parse("gpt-4o=2.50/10.00,openrouter/acme=1/1");

        assertEquals(new PriceTable.Priced(new ModelPrice(new BigDecimal("2.50"), new BigDecimal("10.00")),
                PriceTable.Source.OVERRIDE, "gpt-4o"), table.price("openai/gpt-4o", null, AT).orElseThrow());
        assertEquals("openrouter/acme", table.price("openrouter/acme", null, AT).orElseThrow().pricedAs());
    }

    @Test
    void blankConfigIsAnEmptyTable() {
        assertTrue(PriceTable.parse("  ").prices().isEmpty());
        assertTrue(PriceTable.parse(null).prices().isEmpty());
        assertEquals(Optional.empty(), PriceTable.parse(null).origin());
    }

    @Test
    void badEntriesAreRejectedWithTheEntryNamed() {
        assertEquals("price table entry 'gpt-4o=2.50': expected model=input/output or model=input/output/cache_read"
                        + " (USD per million tokens, e.g. gpt-4o=2.50/10.00 or gpt-4o=2.50/10.00/1.25)",
                assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("gpt-4o=2.50")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=1/2/3/4")).getMessage()
                .contains("expected model=input/output"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=a/1")).getMessage()
                .contains("'a' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=-1/1")).getMessage()
                .contains(">= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=1/1,m=2/2")).getMessage()
                .contains("priced twice"));
    }

    @Test
    void theBundledTablePricesWhatTheOperatorDidNot() {
        PriceTable table = new PriceTable(Map.of(), TestPriceCatalog.catalog());

        assertEquals(new PriceTable.Priced(new ModelPrice(new BigDecimal("2.5"), BigDecimal.TEN, new BigDecimal("1.25")),
                PriceTable.Source.TABLE, "openai/gpt-4o"), table.price("gpt-4o-2024-08-06", null, AT).orElseThrow());
        assertEquals("test-prices", table.origin().orElseThrow().source());
        assertEquals(Optional.empty(), table.price("my-own-model", null, AT));
    }

    @Test
    void theOperatorsPriceWinsOverTheTable() {
        PriceTable table = new PriceTable(PriceTable.parse("gpt-4o=1/2").prices(), TestPriceCatalog.catalog());

        PriceTable.Priced priced = table.price("gpt-4o", "openai", AT).orElseThrow();
        assertEquals(PriceTable.Source.OVERRIDE, priced.source());
        assertEquals(BigDecimal.ONE, priced.price().inputPerMillion());
        assertEquals(PriceTable.Source.TABLE, table.price("gpt-4o-2024-08-06", null, AT).orElseThrow().source(),
                "an operator's price is for the exact name");
    }

    @Test
    void priceOfAsksTheTableToo() {
        PriceTable table = new PriceTable(Map.of(), TestPriceCatalog.catalog());

        assertEquals(new BigDecimal("0.15"), table.priceOf("openai/gpt-4o-mini").orElseThrow().inputPerMillion());
        assertEquals(Optional.empty(), table.priceOf(null));
    }

    @Test
    void withBundledPricesKeepsTheOperatorsPricesOverTheBundledTable() {
        PriceTable table = PriceTable.withBundledPrices("acme-model=1/2");

        assertEquals(PriceTable.Source.OVERRIDE, table.price("acme-model", null, AT).orElseThrow().source());
        assertEquals("@pydantic/genai-prices", table.origin().orElseThrow().source());
        assertEquals(PriceTable.Source.TABLE, table.price("gpt-4o", null, AT).orElseThrow().source());
    }
}
