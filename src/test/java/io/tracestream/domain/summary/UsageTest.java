package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.EventAttributes;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.pricing.PriceCatalog;
import io.tracestream.domain.pricing.TestPriceCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void fixtureCostsComeFromEventsAndThePriceTable() {
        UsageSummary usage = CodeAnalysisFixture.summary().usage();

        assertEquals(new Line(41_650, 8_830, new BigDecimal("0.184945"), 0), stripped(usage.total()));
        assertEquals(Map.of(
                "code_analyzer", new Line(1_850, 320, new BigDecimal("0.007825"), 0),
                "planner", new Line(13_000, 2_260, new BigDecimal("0.0729"), 0),
                "code_reader", new Line(12_400, 1_100, new BigDecimal("0.00252"), 0),
                "strategy_writer", new Line(5_400, 2_300, new BigDecimal("0.0507"), 0),
                "backtester", new Line(2_100, 450, new BigDecimal("0.00975"), 0),
                "report_writer", new Line(6_900, 2_400, new BigDecimal("0.04125"), 0)),
                stripped(usage.byAgent()));
        assertEquals(Map.of(
                "claude-3-5-sonnet", new Line(18_400, 4_560, new BigDecimal("0.1236"), 0),
                "gpt-4o", new Line(10_850, 3_170, new BigDecimal("0.058825"), 0),
                "gpt-4o-mini", new Line(12_400, 1_100, new BigDecimal("0.00252"), 0)),
                stripped(usage.byModel()));
        assertEquals(List.of(), usage.modelsWithoutPrice());
    }

    @Test
    void withoutPricesOnlyTheEventsOwnCostsAreKnownAndTheTotalIsUnknown() {
        UsageSummary usage = CodeAnalysisFixture.summarizerOf(CodeAnalysisFixture.events(), PriceTable.empty())
                .snapshot(CodeAnalysisFixture.MUCH_LATER).usage();

        // Only the calls that carried cost_usd: 0.007825 + 0.0507 + 0.00975.
        assertEquals(new Line(41_650, 8_830, new BigDecimal("0.068275"), 4), stripped(usage.total()));
        assertNull(usage.total().costUsd());
        assertEquals(List.of("claude-3-5-sonnet", "gpt-4o", "gpt-4o-mini"), usage.modelsWithoutPrice());
        assertNull(usage.byAgent().get("planner").costUsd());
        assertEquals(new BigDecimal("0.0507"), usage.byAgent().get("strategy_writer").costUsd());
    }

    @Test
    void eventCostWinsOverThePriceTable() {
        TraceSummarizer summarizer = new TraceSummarizer(PriceTable.parse("m=1000/1000"), TraceSummarizer.DEFAULT_STALL_AFTER);
        summarizer.apply(at(1, "llm_call", "a").model("m").tokens(1_000, 1_000).cost("0.5").build());

        assertEquals(new BigDecimal("0.5"), summarizer.snapshot(second(2)).usage().total().costUsd());
    }

    @Test
    void tokensWithoutAModelOrCostAreUnknownAndEventsWithoutUsageCostNothing() {
        UsageSummary usage = TestEvent.summarize(second(5),
                at(1, "task_started", "a").span("s").build(),
                at(2, "tool_call", "a").durationMs(100).build(),
                at(3, "llm_call", "a").tokens(10, 10).build()).usage();

        assertEquals(new Line(10, 10, BigDecimal.ZERO, 1), stripped(usage.total()));
        assertEquals(Map.of(), usage.byModel());
        assertEquals(List.of(), usage.modelsWithoutPrice());
    }

    @Test
    void reportedAndEstimatedCostsAreToldApart() {
        UsageSummary usage = withTestTable(
                at(1, "llm_call", "a").model("gpt-4o").tokens(1_000, 100).cost("0.5").build(),
                at(2, "llm_call", "b").model("openai/gpt-4o-2024-08-06").tokens(1_000, 100).build());

        assertEquals(new BigDecimal("0.5"), usage.total().reportedCostUsd());
        assertEquals(new BigDecimal("0.0035"), usage.total().estimatedCostUsd().stripTrailingZeros());
        assertEquals(new BigDecimal("0.5035"), usage.total().costUsd().stripTrailingZeros());
        assertEquals(BigDecimal.ZERO, usage.byAgent().get("a").estimatedCostUsd());
        assertEquals(BigDecimal.ZERO, usage.byAgent().get("b").reportedCostUsd());
        assertTrue(usage.byAgent().get("b").isEstimated());
        assertEquals(new PriceCatalog.Origin("test-prices", "1.0.0", "2025-01-01"), usage.priceTable());
    }

    @Test
    void aModelTheTableDoesNotKnowLeavesTheTotalUnknown() {
        UsageSummary usage = withTestTable(
                at(1, "llm_call", "a").model("gpt-4o").tokens(1_000, 100).build(),
                at(2, "llm_call", "a").model("gpt-4o-mega").tokens(1_000, 100).build());

        assertNull(usage.total().costUsd());
        assertEquals(new BigDecimal("0.0035"), usage.total().knownCostUsd().stripTrailingZeros());
        assertEquals(1, usage.total().unpricedEvents());
        assertEquals(List.of("gpt-4o-mega"), usage.modelsWithoutPrice());
    }

    @Test
    void cachedInputTokensCostTheCacheReadPrice() {
        UsageSummary usage = withTestTable(
                at(1, "llm_call", "a").model("gpt-4o").tokens(1_000, 100)
                        .attribute(EventAttributes.CACHE_READ_INPUT_TOKENS, new BigDecimal(400)).build());

        // 600 input at 2.5, 400 cached at 1.25, 100 output at 10, per million
        assertEquals(new BigDecimal("0.003"), usage.total().costUsd().stripTrailingZeros());
        assertEquals(400, usage.total().cacheReadInputTokens());
    }

    @Test
    void cachedInputTokensBeyondTheInputOrNotACountAreBounded() {
        UsageSummary usage = withTestTable(
                at(1, "llm_call", "a").model("gpt-4o").tokens(100, 0)
                        .attribute(EventAttributes.CACHE_READ_INPUT_TOKENS, "5000").build(),
                at(2, "llm_call", "b").model("gpt-4o").tokens(100, 0)
                        .attribute(EventAttributes.CACHE_READ_INPUT_TOKENS, "lots").build());

        assertEquals(100, usage.byAgent().get("a").cacheReadInputTokens());
        assertEquals(new BigDecimal("0.000125"), usage.byAgent().get("a").costUsd().stripTrailingZeros());
        assertEquals(0, usage.byAgent().get("b").cacheReadInputTokens());
        assertEquals(new BigDecimal("0.00025"), usage.byAgent().get("b").costUsd().stripTrailingZeros());
    }

    @Test
    void theEventsProviderChoosesAmongHostsPrices() {
        UsageSummary usage = withTestTable(
                at(1, "llm_call", "a").model("shared-model").tokens(1_000, 1_000).build(),
                at(2, "llm_call", "b").model("shared-model").tokens(1_000, 1_000)
                        .attribute(EventAttributes.PROVIDER, "groq").build());

        assertNull(usage.byAgent().get("a").costUsd(), "two hosts, two prices: unknown without the provider");
        assertEquals(new BigDecimal("0.003"), usage.byAgent().get("b").costUsd().stripTrailingZeros());
    }

    @Test
    void theTablesPriceIsTheOneInForceAtTheEventsTime() {
        UsageSummary usage = withTestTable(at(1, "llm_call", "a").model("o3").tokens(1_000, 1_000).build());

        // 2025-01-20 is before o3's price cut of 2025-06-10: 10 and 40 per million
        assertEquals(new BigDecimal("0.05"), usage.total().costUsd().stripTrailingZeros());
    }

    @Test
    void theOperatorsPriceIsAnEstimateToo() {
        UsageSummary usage = TestEvent.summarize(second(5), at(1, "llm_call", "a").model("m").tokens(1_000, 0).build()).usage();
        assertNull(usage.total().costUsd(), "no price at all");

        TraceSummarizer summarizer = new TraceSummarizer(PriceTable.parse("m=2/2"), TraceSummarizer.DEFAULT_STALL_AFTER);
        summarizer.apply(at(1, "llm_call", "a").model("m").tokens(1_000, 0).build());
        Usage total = summarizer.snapshot(second(2)).usage().total();
        assertEquals(new BigDecimal("0.002"), total.estimatedCostUsd().stripTrailingZeros());
        assertNull(summarizer.snapshot(second(2)).usage().priceTable(), "no bundled table in use");
    }

    private static UsageSummary withTestTable(TraceEvent... events) {
        TraceSummarizer summarizer = new TraceSummarizer(new PriceTable(Map.of(), TestPriceCatalog.catalog()),
                TraceSummarizer.DEFAULT_STALL_AFTER);
        for (TraceEvent e : events) {
            summarizer.apply(e);
        }
        return summarizer.snapshot(second(10)).usage();
    }

    /** Tokens, the known cost without trailing zeros, and the unpriced events: what the fixture's figures compare. */
    private record Line(long inputTokens, long outputTokens, BigDecimal knownCostUsd, int unpricedEvents) {}

    private static Line stripped(Usage u) {
        return new Line(u.inputTokens(), u.outputTokens(), u.knownCostUsd().stripTrailingZeros(), u.unpricedEvents());
    }

    private static Map<String, Line> stripped(Map<String, Usage> byName) {
        return byName.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> stripped(e.getValue())));
    }
}
