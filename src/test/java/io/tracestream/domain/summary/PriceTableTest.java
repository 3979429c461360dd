package io.tracestream.domain.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    @Test
    void parsesModelInputAndOutputPricesPerMillionTokens() {
        PriceTable table = PriceTable.parse(" gpt-4o=2.50/10.00 , claude-3-5-sonnet=3/15,");

        assertEquals(Optional.of(new PriceTable.ModelPrice(new BigDecimal("2.50"), new BigDecimal("10.00"))),
                table.priceOf("gpt-4o"));
        assertEquals(new BigDecimal("0.0225"),
                table.priceOf("claude-3-5-sonnet").orElseThrow().costOf(3200, 860).stripTrailingZeros());
    }

    @Test
    void modelsAreMatchedExactlyNotByPrefix() {
        assertEquals(Optional.empty(), PriceTable.parse("gpt-4o=2.50/10.00").priceOf("gpt-4o-mini"));
    }

    @Test
    void blankConfigIsAnEmptyTable() {
        assertTrue(PriceTable.parse("  ").prices().isEmpty());
        assertTrue(PriceTable.parse(null).prices().isEmpty());
    }

    @Test
    void badEntriesAreRejectedWithTheEntryNamed() {
        assertEquals("price table entry 'gpt-4o=2.50': expected model=input/output (USD per million tokens, e.g. gpt-4o=2.50/10.00)",
                assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("gpt-4o=2.50")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=a/1")).getMessage()
                .contains("'a' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=-1/1")).getMessage()
                .contains(">= 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PriceTable.parse("m=1/1,m=2/2")).getMessage()
                .contains("priced twice"));
    }
}
