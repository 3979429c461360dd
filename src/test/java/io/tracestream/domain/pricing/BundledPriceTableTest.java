package io.tracestream.domain.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The table the build bundles ({@code @pydantic/genai-prices}, pinned in pom.xml) reads whole and
 * prices well-known models as its data file says. The figures are those of version 0.1.8's
 * dist/index.cjs: a new version of the table may change them, and this test then shows what changed.
 */
class BundledPriceTableTest {

    private static final Instant AT = Instant.parse("2026-01-15T20:00:00Z");
    private final PriceCatalog table = PriceCatalog.bundled()
            .orElseThrow(() -> new AssertionError(PriceCatalog.RESOURCE + " is missing: run the build's process-classes phase"));

    @Test
    void theWholeTableIsReadWithItsOrigin() {
        assertEquals("@pydantic/genai-prices", table.origin().source());
        assertEquals("0.1.8", table.origin().version());
        assertEquals("2026-09-23", table.origin().date());
        assertEquals(43, table.providerCount());
        assertEquals(1694, table.modelCount());
        assertEquals(List.of(), table.problems(), "every rule and price of the table is usable");
    }

    @Test
    void wellKnownModelsArePricedAsTheDataFileSays() {
        assertPrice("openai/gpt-4o", "2.5", "10", "1.25", "gpt-4o");
        assertPrice("openai/gpt-4o-mini", "0.15", "0.6", "0.075", "gpt-4o-mini");
        assertPrice("anthropic/claude-3-5-sonnet", "3", "15", "0.3", "claude-3-5-sonnet");
        assertPrice("openai/gpt-4o-2024-05-13", "5", "15", null, "gpt-4o-2024-05-13");
    }

    @Test
    void modelsAreFoundAsRealSpansSpellThem() {
        assertPrice("openai/gpt-4o", "2.5", "10", "1.25", "openai/gpt-4o");
        assertPrice("openai/gpt-4o", "2.5", "10", "1.25", "gpt-4o-2024-08-06");
        assertPrice("openai/gpt-4o", "2.5", "10", "1.25", "GPT-4o");
        assertPrice("openai/gpt-4o-mini", "0.15", "0.6", "0.075", "gpt-4o-mini-2024-07-18");
        assertPrice("anthropic/claude-3-5-sonnet", "3", "15", "0.3", "anthropic/claude-3-5-sonnet-20241022");
        assertPrice("anthropic/claude-3-5-sonnet", "3", "15", "0.3", "claude-3-5-sonnet-latest");
        assertPrice("aws/regional.anthropic.claude-3-5-sonnet-20241022-v2:0", "3", "15", "0.3",
                "us.anthropic.claude-3-5-sonnet-20241022-v2:0");
    }

    @Test
    void theProviderHintAndTheDateChooseThePrice() {
        assertEquals("aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0", table
                .find("claude-3-5-sonnet-20240620", "aws.bedrock", AT).map(m -> m.providerId() + "/" + m.modelId()).orElse(null));
        assertEquals(new BigDecimal("1.25"), table.find("gemini-2.5-pro", "gcp.vertex_ai", AT).orElseThrow()
                .price().inputPerMillion(), "the base tier of a tiered price");
        assertEquals(new BigDecimal("10"), table.find("o3", "openai", Instant.parse("2025-06-01T00:00:00Z")).orElseThrow()
                .price().inputPerMillion());
        assertEquals(new BigDecimal("2"), table.find("o3", "openai", AT).orElseThrow().price().inputPerMillion());
    }

    @Test
    void namesTheTableDoesNotKnowStayUnknown() {
        assertEquals(Optional.empty(), table.find("gpt-4o-mega", null, AT));
        assertEquals(Optional.empty(), table.find("acme-agent-model-v1", null, AT));
    }

    private void assertPrice(String pricedAs, String input, String output, String cacheRead, String model) {
        PriceCatalog.Match match = table.find(model, null, AT).orElseThrow(() -> new AssertionError(model + " is not priced"));
        assertEquals(pricedAs, match.providerId() + "/" + match.modelId(), model);
        assertEquals(new ModelPrice(new BigDecimal(input), new BigDecimal(output), cacheRead == null ? null : new BigDecimal(cacheRead)),
                match.price(), model);
    }
}
