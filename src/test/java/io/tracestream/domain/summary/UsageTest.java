package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {

    @Test
    void fixtureCostsComeFromEventsAndThePriceTable() {
        UsageSummary usage = CodeAnalysisFixture.summary().usage();

        assertEquals(new Usage(41_650, 8_830, new BigDecimal("0.184945"), 0), stripped(usage.total()));
        assertEquals(Map.of(
                "code_analyzer", new Usage(1_850, 320, new BigDecimal("0.007825"), 0),
                "planner", new Usage(13_000, 2_260, new BigDecimal("0.0729"), 0),
                "code_reader", new Usage(12_400, 1_100, new BigDecimal("0.00252"), 0),
                "strategy_writer", new Usage(5_400, 2_300, new BigDecimal("0.0507"), 0),
                "backtester", new Usage(2_100, 450, new BigDecimal("0.00975"), 0),
                "report_writer", new Usage(6_900, 2_400, new BigDecimal("0.04125"), 0)),
                stripped(usage.byAgent()));
        assertEquals(Map.of(
                "claude-3-5-sonnet", new Usage(18_400, 4_560, new BigDecimal("0.1236"), 0),
                "gpt-4o", new Usage(10_850, 3_170, new BigDecimal("0.058825"), 0),
                "gpt-4o-mini", new Usage(12_400, 1_100, new BigDecimal("0.00252"), 0)),
                stripped(usage.byModel()));
        assertEquals(List.of(), usage.modelsWithoutPrice());
    }

    @Test
    void withoutPricesOnlyTheEventsOwnCostsAreKnownAndTheTotalIsUnknown() {
        UsageSummary usage = CodeAnalysisFixture.summarizerOf(CodeAnalysisFixture.events(), PriceTable.empty())
                .snapshot(CodeAnalysisFixture.MUCH_LATER).usage();

        // Only the calls that carried cost_usd: 0.007825 + 0.0507 + 0.00975.
        assertEquals(new Usage(41_650, 8_830, new BigDecimal("0.068275"), 4), stripped(usage.total()));
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

        assertEquals(new Usage(10, 10, BigDecimal.ZERO, 1), usage.total());
        assertEquals(Map.of(), usage.byModel());
        assertEquals(List.of(), usage.modelsWithoutPrice());
    }

    private static Usage stripped(Usage u) {
        return new Usage(u.inputTokens(), u.outputTokens(), u.knownCostUsd().stripTrailingZeros(), u.unpricedEvents());
    }

    private static Map<String, Usage> stripped(Map<String, Usage> byName) {
        return byName.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> stripped(e.getValue())));
    }
}
