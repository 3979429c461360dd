package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.domain.pricing.TestPriceCatalog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The usage part of the summary's JSON: reported and estimated costs apart, and the table estimates come from. */
class UsageJsonTest {

    @Test
    void usageSaysWhatWasReportedWhatWasEstimatedAndFromWhichTable() {
        TraceSummarizer summarizer = new TraceSummarizer(new PriceTable(Map.of(), TestPriceCatalog.catalog()),
                TraceSummarizer.DEFAULT_STALL_AFTER);
        summarizer.apply(at(1, "llm_call", "a").model("gpt-4o").tokens(1_000, 100).cost("0.5").build());
        summarizer.apply(at(2, "llm_call", "a").model("gpt-4o").tokens(1_000, 100)
                .attribute("cache_read_input_tokens", new BigDecimal(400)).build());

        JsonObject usage = usageOf(summarizer.snapshot(second(3)));

        assertEquals(Set.of("total", "by_agent", "by_model", "models_without_price", "price_table"), usage.keySet());
        assertEquals(Json.createObjectBuilder().add("source", "test-prices").add("version", "1.0.0")
                .add("date", "2025-01-01").build(), usage.getJsonObject("price_table"));
        JsonObject total = usage.getJsonObject("total");
        assertEquals(Json.createObjectBuilder().add("input_tokens", 2_000).add("output_tokens", 200)
                .add("cache_read_input_tokens", 400).add("cost_usd", new BigDecimal("0.503"))
                .add("known_cost_usd", new BigDecimal("0.503")).add("reported_cost_usd", new BigDecimal("0.5"))
                .add("estimated_cost_usd", new BigDecimal("0.003")).add("unpriced_events", 0).build(), total);
    }

    @Test
    void withoutABundledTableThePriceTableIsNull() {
        JsonObject usage = usageOf(TestEvent.summarize(second(1), at(0, "llm_call", "a").model("m").tokens(5, 5).build()));

        assertEquals(JsonValue.NULL, usage.get("price_table"));
        assertEquals(JsonValue.NULL, usage.getJsonObject("total").get("cost_usd"));
        assertEquals(0, usage.getJsonObject("total").getJsonNumber("estimated_cost_usd").intValue());
    }

    private static JsonObject usageOf(TraceSummary summary) {
        try (JsonReader reader = Json.createReader(new StringReader(TraceSummaryJson.write(summary)))) {
            return reader.readObject().getJsonObject("usage");
        }
    }
}
