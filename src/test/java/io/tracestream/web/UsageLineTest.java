package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracestream.domain.summary.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsageLineTest {

    @Test
    void aCostTheAgentsReportedIsShownAsItIs() {
        UsageLine line = UsageLine.of("a", new Usage(1_000, 100, 0, new BigDecimal("0.5"), BigDecimal.ZERO, 0));

        assertEquals("$0.5000", line.cost());
        assertNull(line.costTitle());
    }

    @Test
    void aCostPartlyEstimatedFromTokensIsMarkedAndSaysHowMuch() {
        UsageLine line = UsageLine.of("a", new Usage(1_000, 100, 0, new BigDecimal("0.5"), new BigDecimal("0.0035"), 0));

        assertEquals("~$0.5035", line.cost());
        assertEquals("estimated: $0.0035 of it from token counts and model prices, not reported by the agent", line.costTitle());
    }

    @Test
    void aCostWithAnUnknownPartIsAFloorOrUnknown() {
        assertEquals("≥ $0.0035", UsageLine.of("a", new Usage(10, 10, 0, BigDecimal.ZERO, new BigDecimal("0.0035"), 1)).cost());
        assertEquals("unknown", UsageLine.of("a", new Usage(10, 10, 0, BigDecimal.ZERO, BigDecimal.ZERO, 1)).cost());
    }
}
