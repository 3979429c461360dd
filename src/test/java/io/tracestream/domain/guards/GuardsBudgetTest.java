package io.tracestream.domain.guards;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.guards.RunFeed.feed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.TestEvent;
import io.tracestream.domain.pricing.TestPriceCatalog;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.domain.summary.TraceSummarizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardsBudgetTest {

    /** The price table in its bundled form: gpt-4o at $2.50 in and $10 out per million tokens. */
    private static final PriceTable PRICES = new PriceTable(Map.of(), TestPriceCatalog.catalog());

    /** 8,000 tokens in and 1,000 out of gpt-4o, no cost reported: $0.02 + $0.01 = $0.03 by the table. */
    private static TraceEvent gpt4oCall(double second) {
        return at(second, "llm_call", "analyst").model("gpt-4o").tokens(8_000, 1_000).build();
    }

    private static RunGuards guards(GuardSettings settings) {
        return new RunGuards(settings, PRICES);
    }

    @Test
    void aBudgetIsWarnedAt80PercentAndCriticalAt100PercentOfTheSummarysEstimatedCost() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(new BigDecimal("0.075"), null));
        TraceEvent first = gpt4oCall(1);
        TraceEvent second = gpt4oCall(2);
        TraceEvent third = gpt4oCall(3);

        List<RunAlert> afterFirst = guards.onEvent(first);
        List<RunAlert> afterSecond = guards.onEvent(second);
        List<RunAlert> afterThird = guards.onEvent(third);

        assertEquals(List.of(), afterFirst);
        assertEquals(1, afterSecond.size());
        RunAlert warning = afterSecond.get(0);
        assertEquals(AlertKind.BUDGET, warning.kind());
        assertEquals(AlertSeverity.WARNING, warning.severity());
        assertEquals("budget:cost:warning", warning.key());
        assertEquals(new BigDecimal("0.06"), warning.evidence().getJsonNumber("cost_usd").bigDecimalValue());
        assertEquals(new BigDecimal("0.075"), warning.evidence().getJsonNumber("max_run_cost_usd").bigDecimalValue());
        assertEquals(80, warning.evidence().getInt("percent"));
        assertEquals(List.of(second.id()), warning.eventIds());
        assertEquals("run cost $0.06 of its $0.075 budget (80%)", warning.message());

        assertEquals(List.of("budget:cost:critical", "budget:cost:warning"), afterThird.stream().map(RunAlert::key).toList());
        RunAlert critical = afterThird.get(0);
        assertEquals(AlertSeverity.CRITICAL, critical.severity());
        assertEquals(new BigDecimal("0.09"), critical.evidence().getJsonNumber("cost_usd").bigDecimalValue());
        assertEquals(120, critical.evidence().getInt("percent"));
        assertTrue(afterThird.get(1).resolved(), "the critical alert supersedes the warning");
        assertEquals(List.of(critical), guards.openAlerts());

        TraceSummarizer summary = new TraceSummarizer(PRICES, TraceSummarizer.DEFAULT_STALL_AFTER);
        List.of(first, second, third).forEach(summary::apply);
        assertEquals(0, summary.snapshot(TestEvent.second(4)).usage().total().knownCostUsd()
                .compareTo(critical.evidence().getJsonNumber("cost_usd").bigDecimalValue()), "the summary's cost");
    }

    @Test
    void eachBudgetAlertIsRaisedOnce() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(new BigDecimal("0.075"), null));
        List<RunAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alerts.addAll(guards.onEvent(gpt4oCall(i)));
        }

        assertEquals(List.of("budget:cost:warning", "budget:cost:critical", "budget:cost:warning"),
                alerts.stream().map(RunAlert::key).toList());
        assertEquals(List.of(false, false, true), alerts.stream().map(RunAlert::resolved).toList());
    }

    @Test
    void aReportedCostWinsOverTheTableAsInTheSummary() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(BigDecimal.ONE, null));

        List<RunAlert> alerts = guards.onEvent(at(1, "llm_call", "a").model("gpt-4o").tokens(10, 10).cost("1.25").build());

        assertEquals(1, alerts.size());
        assertEquals("budget:cost:critical", alerts.get(0).key());
        assertEquals(new BigDecimal("1.25"), alerts.get(0).evidence().getJsonNumber("cost_usd").bigDecimalValue());
    }

    @Test
    void aLimitPassedOutrightRaisesOnlyTheCriticalAlert() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(new BigDecimal("0.01"), null));

        List<RunAlert> alerts = feed(guards, gpt4oCall(1), gpt4oCall(2));

        assertEquals(List.of("budget:cost:critical"), alerts.stream().map(RunAlert::key).toList());
    }

    @Test
    void unpricedCallsLeaveTheKnownCostAsALowerBoundAndTheEvidenceSaysSo() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(new BigDecimal("0.03"), null));

        List<RunAlert> alerts = feed(guards,
                at(1, "llm_call", "a").model("in-house-model-7").tokens(50_000, 5_000).build(),
                gpt4oCall(2));

        assertEquals(1, alerts.size());
        assertEquals(1, alerts.get(0).evidence().getInt("unpriced_events"));
        assertEquals("run cost $0.03 (at least) of its $0.03 budget (100%)", alerts.get(0).message());
    }

    @Test
    void aTokenBudgetCountsInputAndOutputTokens() {
        RunGuards guards = guards(GuardSettings.defaults().withBudget(null, 20_000L));

        List<RunAlert> alerts = feed(guards, gpt4oCall(1), gpt4oCall(2), gpt4oCall(3));

        assertEquals(List.of("budget:tokens:warning", "budget:tokens:critical", "budget:tokens:warning"),
                alerts.stream().map(RunAlert::key).toList());
        assertEquals(18_000, alerts.get(0).evidence().getInt("tokens"));
        assertEquals(27_000, alerts.get(1).evidence().getInt("tokens"));
    }

    @Test
    void thereIsNoBudgetByDefaultAndNoWarningWhenItsRatioIsOff() {
        List<RunAlert> byDefault = new ArrayList<>();
        RunGuards unlimited = guards(GuardSettings.defaults());
        RunGuards noWarning = guards(GuardSettings.defaults().withBudget(new BigDecimal("0.075"), null)
                .withBudgetWarningRatio(null));
        List<RunAlert> criticalOnly = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byDefault.addAll(unlimited.onEvent(gpt4oCall(i)));
            criticalOnly.addAll(noWarning.onEvent(gpt4oCall(i)));
        }

        assertEquals(List.of(), byDefault);
        assertEquals(List.of("budget:cost:critical"), criticalOnly.stream().map(RunAlert::key).toList());
    }
}
