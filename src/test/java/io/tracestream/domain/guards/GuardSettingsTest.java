package io.tracestream.domain.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardSettingsTest {

    @Test
    void theDefaultsAreTheIssuesThresholdsWithNoBudgetAndNoRunDurationLimit() {
        GuardSettings d = GuardSettings.defaults();

        assertEquals(4, d.sameToolCalls());
        assertEquals(4, d.handoffCycles());
        assertEquals(50, d.modelCallsPerAgent());
        assertNull(d.maxRunCostUsd());
        assertNull(d.maxRunTokens());
        assertEquals(new BigDecimal("0.8"), d.budgetWarningRatio());
        assertEquals(Duration.ofSeconds(60), d.silentAfter());
        assertEquals(3, d.errorBurstSteps());
        assertEquals(Duration.ofSeconds(60), d.errorBurstWindow());
        assertNull(d.maxRunDuration());
    }

    @Test
    void aBadSettingIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GuardSettings.defaults().withSameToolCalls(-1))
                .getMessage().startsWith("same-tool-calls"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GuardSettings.defaults().withBudget(new BigDecimal("-1"), null)).getMessage().startsWith("max-run-cost-usd"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GuardSettings.defaults().withBudgetWarningRatio(new BigDecimal("1.5"))).getMessage().startsWith("budget-warning-ratio"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> GuardSettings.defaults().withSilentAfter(Duration.ofSeconds(-1))).getMessage().startsWith("silent-after"));
    }
}
