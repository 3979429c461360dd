package io.tracestream.domain.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {

    private static final Instant AT = Instant.parse("2025-08-01T20:00:00Z");
    private final PriceCatalog table = TestPriceCatalog.catalog();

    @Test
    void aModelIsFoundByTheTablesOwnRuleWithItsPrices() {
        assertEquals(Optional.of(new PriceCatalog.Match("openai", "gpt-4o",
                        new ModelPrice(new BigDecimal("2.5"), BigDecimal.TEN, new BigDecimal("1.25")))),
                table.find("gpt-4o", null, AT));
        assertEquals(new PriceCatalog.Origin("test-prices", "1.0.0", "2025-01-01"), table.origin());
        assertEquals(16, table.modelCount());
        assertEquals(java.util.List.of(), table.problems());
    }

    @Test
    void caseAndSurroundingBlanksDoNotMatter() {
        assertEquals("openai/gpt-4o", pricedAs("  GPT-4o ", null));
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("Claude-3.5-Sonnet", null));
    }

    @Test
    void providerPrefixesAreRead() {
        assertEquals("openai/gpt-4o", pricedAs("openai/gpt-4o", null));
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("anthropic/claude-3-5-sonnet-20241022", null));
        assertEquals("aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0",
                pricedAs("bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0", null));
        assertEquals("google/gemini-1.5-pro", pricedAs("models/gemini-1.5-pro", null));
        assertEquals("openai/gpt-4o", pricedAs("openrouter/openai/gpt-4o", null));
    }

    @Test
    void datedSnapshotsArePricedAsTheTableSaysElseAsTheirModel() {
        assertEquals("openai/gpt-4o", pricedAs("gpt-4o-2024-08-06", null));
        assertEquals("openai/gpt-4o-2024-05-13", pricedAs("gpt-4o-2024-05-13", null), "a snapshot with its own price keeps it");
        assertEquals(new BigDecimal("5"), price("gpt-4o-2024-05-13", null).inputPerMillion());
        assertEquals("openai/gpt-4o", pricedAs("gpt-4o-2099-01-01", null), "a snapshot the table does not list");
        assertEquals("openai/gpt-4o-mini", pricedAs("gpt-4o-mini-20990101", null));
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("claude-3-5-sonnet@20240620", null));
    }

    @Test
    void latestIsTheModelItself() {
        assertEquals("openai/gpt-4o", pricedAs("gpt-4o-latest", null));
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("claude-3-5-sonnet-latest", null));
        assertEquals("openai/gpt-4o", pricedAs("openai/gpt-4o-latest", null));
    }

    @Test
    void modelFamiliesAreNeverCrossed() {
        assertEquals(new BigDecimal("0.15"), price("gpt-4o-mini", null).inputPerMillion());
        assertUnknown("gpt-4o-mini-tts");
        assertUnknown("gpt-4o-turbo");
        assertUnknown("gpt-4");
        assertUnknown("o3-mini");
        assertUnknown("claude-3-5-haiku-20241022");
        assertUnknown("gemini-2.0-flash");
        assertUnknown("my-own-model");
        assertUnknown("openai/my-own-model");
    }

    @Test
    void nothingIsFoundForNoName() {
        assertEquals(Optional.empty(), table.find(null, null, AT));
        assertEquals(Optional.empty(), table.find("  ", "openai", AT));
    }

    @Test
    void theProviderTheEventNamesChoosesItsPrice() {
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("claude-3-5-sonnet-20240620", null));
        assertEquals("aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0",
                pricedAs("claude-3-5-sonnet-20240620", "aws.bedrock"));
        assertEquals("google/gemini-1.5-pro", pricedAs("gemini-1.5-pro", "gcp.gemini"));
        assertEquals("google/gemini-1.5-pro", pricedAs("gemini-1.5-pro", "gcp.gen_ai"));
        assertEquals("x-ai/grok-2", pricedAs("grok-2", "x_ai"));
        assertEquals("openai/gpt-4o", pricedAs("gpt-4o", "azure.ai.openai"), "Azure falls back on OpenAI's prices");
        assertEquals("openai/gpt-4o", pricedAs("gpt-4o", "ibm.watsonx.ai"), "a provider the table lacks is no hint");
        assertEquals("anthropic/claude-3-5-sonnet", pricedAs("claude-3-5-sonnet", "openai"),
                "a provider that does not list the model is no hint either");
    }

    @Test
    void aModelHostsSellAtDifferentPricesNeedsItsProvider() {
        assertUnknown("shared-model");
        assertEquals(BigDecimal.ONE, price("shared-model", "groq").inputPerMillion());
        assertEquals(new BigDecimal("1.5"), price("shared-model", "together_ai").inputPerMillion());
        assertEquals(new BigDecimal("0.59"), price("llama-3.3-70b-versatile", null).inputPerMillion());
        assertEquals(BigDecimal.ONE, price("same-everywhere", null).inputPerMillion(), "hosts that agree");
    }

    @Test
    void bedrockModelIdsAreFoundWithoutTheirProvider() {
        assertEquals("aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0",
                pricedAs("us.anthropic.claude-3-5-sonnet-20240620-v1:0", null));
    }

    @Test
    void aDatedPriceAppliesFromItsDay() {
        assertEquals(BigDecimal.TEN, table.find("o3", null, Instant.parse("2025-06-09T23:59:59Z")).orElseThrow()
                .price().inputPerMillion());
        assertEquals(new BigDecimal("2"), table.find("o3", null, Instant.parse("2025-06-10T00:00:00Z")).orElseThrow()
                .price().inputPerMillion());
    }

    @Test
    void anHourlyPriceAppliesInItsHours() {
        assertEquals(new BigDecimal("0.27"), table.find("deepseek-chat", null, Instant.parse("2025-08-01T03:00:00Z"))
                .orElseThrow().price().inputPerMillion());
        assertEquals(new BigDecimal("0.135"), table.find("deepseek-chat", null, Instant.parse("2025-08-01T20:00:00Z"))
                .orElseThrow().price().inputPerMillion());
    }

    @Test
    void aTieredPriceIsTakenAtItsBaseTier() {
        ModelPrice gemini = price("gemini-1.5-pro", null);
        assertEquals(new BigDecimal("1.25"), gemini.inputPerMillion());
        assertEquals(new BigDecimal("5"), gemini.outputPerMillion());
    }

    @Test
    void aModelWithOnlyAnInputPriceCostsNothingForOutput() {
        assertEquals(BigDecimal.ZERO, price("text-embedding-3-small", null).outputPerMillion());
    }

    @Test
    void aModelTheTableDoesNotPriceByTokensStaysUnknown() {
        assertUnknown("whisper-1");
        assertUnknown("openai/whisper-1");
    }

    @Test
    void compactDatesAreSpelledOutOnlyWhenTheyAreDays() {
        assertEquals("claude-3-5-sonnet-2024-10-22", PriceCatalog.spellOutDates("claude-3-5-sonnet-20241022"));
        assertEquals("claude-3-5-sonnet-2024-10-22-v2:0", PriceCatalog.spellOutDates("claude-3-5-sonnet-20241022-v2:0"));
        assertEquals("model-20240230", PriceCatalog.spellOutDates("model-20240230"));
    }

    @Test
    void rulesAndPricesThatCannotBeReadAreReportedAndStayUnpriced() {
        PriceCatalog odd = PriceCatalog.read(new ByteArrayInputStream("""
                {"providers": [{"id": "p", "models": [
                  {"id": "bad-regex", "match": {"regex": "(unclosed"}, "prices": {"input_mtok": 1, "output_mtok": 1}},
                  {"id": "odd-rule", "match": {"looks_like": "x"}, "prices": {"input_mtok": 1, "output_mtok": 1}},
                  {"id": "odd-price", "match": {"equals": "odd-price"}, "prices": {"input_mtok": "one", "output_mtok": -1}}
                ]}]}""".getBytes(StandardCharsets.UTF_8)));

        assertEquals(4, odd.problems().size(), odd.problems().toString());
        assertTrue(odd.problems().get(0).startsWith("p: bad-regex: regex (unclosed is not valid in Java"));
        assertEquals(Optional.empty(), odd.find("(unclosed", null, AT));
        assertEquals(Optional.empty(), odd.find("odd-price", null, AT));
    }

    @Test
    void aTableWithoutProvidersIsRejected() {
        assertThrows(IllegalStateException.class,
                () -> PriceCatalog.read(new ByteArrayInputStream("{\"models\": []}".getBytes(StandardCharsets.UTF_8))));
        assertThrows(IllegalStateException.class,
                () -> PriceCatalog.read(new ByteArrayInputStream("[1,".getBytes(StandardCharsets.UTF_8))));
    }

    private String pricedAs(String model, String provider) {
        return table.find(model, provider, AT).map(m -> m.providerId() + "/" + m.modelId()).orElse("unknown");
    }

    private ModelPrice price(String model, String provider) {
        return table.find(model, provider, AT).orElseThrow(() -> new AssertionError(model + " is not priced")).price();
    }

    private void assertUnknown(String model) {
        assertEquals("unknown", pricedAs(model, null), model);
    }
}
