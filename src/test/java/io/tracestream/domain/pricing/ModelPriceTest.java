package io.tracestream.domain.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ModelPriceTest {

    private static final ModelPrice WITH_CACHE = new ModelPrice(new BigDecimal("2.5"), BigDecimal.TEN, new BigDecimal("1.25"));
    private static final ModelPrice WITHOUT_CACHE = new ModelPrice(new BigDecimal("2.5"), BigDecimal.TEN);

    @Test
    void costIsTokensTimesPricePerMillionExactly() {
        assertEquals(new BigDecimal("0.0035"), WITH_CACHE.costOf(1_000, 100).stripTrailingZeros());
    }

    @Test
    void cacheReadsArePartOfTheInputAndCostTheCacheReadPrice() {
        // 600 input at 2.5, 400 cached at 1.25, 100 output at 10: (1500 + 500 + 1000) / 1e6
        assertEquals(new BigDecimal("0.003"), WITH_CACHE.costOf(1_000, 400, 100).stripTrailingZeros());
    }

    @Test
    void withoutACacheReadPriceCachedTokensCostTheInputPrice() {
        assertEquals(WITH_CACHE.costOf(1_000, 100), WITHOUT_CACHE.costOf(1_000, 400, 100));
    }

    @Test
    void moreCacheReadsThanInputCountAsAllTheInput() {
        assertEquals(WITH_CACHE.costOf(1_000, 1_000, 100), WITH_CACHE.costOf(1_000, 5_000, 100));
        assertEquals(WITH_CACHE.costOf(1_000, 0, 100), WITH_CACHE.costOf(1_000, -5, 100));
    }

    @Test
    void negativePricesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ModelPrice(BigDecimal.ONE, BigDecimal.ONE, new BigDecimal("-1")));
        assertThrows(IllegalArgumentException.class, () -> new ModelPrice(new BigDecimal("-1"), BigDecimal.ONE));
    }
}
