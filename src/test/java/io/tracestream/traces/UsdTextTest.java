package io.tracestream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Dollars as people read them: four decimals below a dollar, two from one up, never in exponent form. */
class UsdTextTest {

    private static String usd(String amount) {
        return UsdText.of(new BigDecimal(amount));
    }

    @Test
    void noAmountIsUnknownAndNothingIsZeroDollars() {
        assertEquals("unknown", UsdText.of(null));
        assertEquals("$0", usd("0"));
        assertEquals("$0", usd("0.00000"));
    }

    @Test
    void amountsBelowADollarKeepFourDecimalsRoundedHalfUp() {
        assertEquals("$0.0123", usd("0.012345"));
        assertEquals("$0.0124", usd("0.01235"));
        assertEquals("$0.0001", usd("0.00005"));
        assertEquals("$0.5000", usd("0.5"));
    }

    @Test
    void amountsFromADollarUpKeepTwoDecimalsRoundedHalfUp() {
        assertEquals("$1.00", usd("1"));
        assertEquals("$12.35", usd("12.345"));
        assertEquals("$1000.00", usd("1E+3"));
    }
}
