package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The summary's two settings, as a deployed server reads them: the price table
 * (tracestream.pricing.models) and when a running trace counts as stalled
 * (tracestream.trace.stall-after).
 */
@ExtendWith(ArquillianExtension.class)
class SummarySettingsIT {

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "tracestream.pricing.models", "gpt-4o=2.50/10.00,claude-3-5-sonnet=3/15",
                "tracestream.trace.stall-after", "PT1S"));
    }

    @Test
    void costComesFromTheEventElseTheConfiguredPriceElseIsUnknownAndARunningTraceStallsAfterTheConfiguredQuiet()
            throws InterruptedException {
        Api api = new Api(deployment);
        String trace = "t-" + UUID.randomUUID();
        api.append(trace, "["
                + "{\"event_type\":\"workflow_started\",\"agent_id\":\"planner\"},"
                // priced by the table: 1,000,000 in x 2.50 + 200,000 out x 10.00 per million = 4.50
                + "{\"event_type\":\"llm_call\",\"agent_id\":\"planner\",\"model\":\"gpt-4o\",\"input_tokens\":1000000,\"output_tokens\":200000},"
                // the event's own cost wins over the table
                + "{\"event_type\":\"llm_call\",\"agent_id\":\"coder\",\"model\":\"claude-3-5-sonnet\",\"input_tokens\":10,\"output_tokens\":10,\"cost_usd\":0.25},"
                // no price anywhere: unknown, never guessed
                + "{\"event_type\":\"llm_call\",\"agent_id\":\"coder\",\"model\":\"local-llama\",\"input_tokens\":500,\"output_tokens\":50}]");

        JsonObject summary = Api.json(api.get("traces/" + trace));
        JsonObject usage = summary.getJsonObject("usage");
        JsonObject byModel = usage.getJsonObject("by_model");
        assertEquals(new BigDecimal("4.50"), money(byModel.getJsonObject("gpt-4o"), "cost_usd"));
        assertEquals(new BigDecimal("0.25"), money(byModel.getJsonObject("claude-3-5-sonnet"), "cost_usd"));
        assertEquals(JsonValue.NULL, byModel.getJsonObject("local-llama").get("cost_usd"), "unknown, not zero");
        assertEquals(JsonValue.NULL, usage.getJsonObject("total").get("cost_usd"), "a total with an unknown part is unknown");
        assertEquals(new BigDecimal("4.75"), money(usage.getJsonObject("total"), "known_cost_usd"));
        assertEquals(List.of("local-llama"), usage.getJsonArray("models_without_price").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals("running", summary.getString("status"));

        Thread.sleep(1500); // quiet for longer than stall-after
        assertEquals("stalled", Api.json(api.get("traces/" + trace)).getString("status"));
        api.append(trace, "{\"event_type\":\"task_started\",\"agent_id\":\"planner\"}");
        assertEquals("running", Api.json(api.get("traces/" + trace)).getString("status"), "an event revives it");
        assertTrue(Api.json(api.get("traces?status=running")).getJsonArray("traces").stream()
                .anyMatch(t -> t.asJsonObject().getString("trace_id").equals(trace)));
    }

    private static BigDecimal money(JsonObject usage, String field) {
        return usage.getJsonNumber(field).bigDecimalValue().stripTrailingZeros().setScale(2, java.math.RoundingMode.UNNECESSARY);
    }
}
