package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.bytes;
import static io.tracestream.ingest.otlp.Otlp.failed;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.spanId;
import static io.tracestream.ingest.otlp.Otlp.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.testing.Api;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.ServerLog;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.RedisServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the agents said, end to end on the built WAR over a real Redis: the content of model and
 * tool calls sent as OTLP spans (GenAI and OpenInference conventions) and through the JSON API is
 * kept beside its event, whole up to the limit and cut beyond it, never lost with its call, read
 * at {@code /traces/{trace_id}/events/{id}/content}, previewed in every frame and whole in frames
 * of {@code ?content=true}; secrets are redacted from every place before anything is stored, and
 * no prompt reaches the server's log.
 */
@ExtendWith(ArquillianExtension.class)
class CallContentIT {

    static {
        ServerLog.capture();
    }

    static final RedisServer REDIS = RedisServer.startNew();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int MIB = 1_048_576;
    /** A key as an agent might paste it into a prompt; the built-in redaction set knows its shape. */
    static final String PLANTED_KEY = "sk-proj-Zq8v3LmN0pR7sT2wX5yB9cD";
    /** The operator's own pattern, configured below. */
    static final String CUSTOMER_NUMBER = "ACME-482913";

    @ArquillianResource
    URL deployment;

    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of("tracestream.redis.url", REDIS.url(),
                "tracestream.content.redact", "ACME-[0-9]{6}"));
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    /** A GenAI chat span of {@code trace}, under an agent span, with the given attributes. */
    private static ExportTraceServiceRequest chat(String trace, Span.Builder chat) {
        Span.Builder agent = span("invoke_agent researcher", 1, 0, 0, 4_000)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "researcher"));
        return Otlp.request("content-it", agent.setTraceId(bytes(trace)), chat.setTraceId(bytes(trace)));
    }

    private static Span.Builder gpt4o() {
        return span("chat gpt-4o", 2, 1, 100, 3_000)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(num("gen_ai.usage.input_tokens", 25_000))
                .addAttributes(num("gen_ai.usage.output_tokens", 40));
    }

    private static String genAiMessages(String role, String text) {
        return Json.createArrayBuilder().add(Json.createObjectBuilder().add("role", role)
                .add("parts", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "text").add("content", text))))
                .build().toString();
    }

    private HttpResponse<String> export(ExportTraceServiceRequest request) {
        return api.post("v1/traces", OtlpSpans.json(request), Map.of());
    }

    private JsonObject eventOfType(String trace, String type) {
        JsonArray events = Api.json(api.get("traces/" + trace + "/events?limit=1000")).getJsonArray("events");
        return events.stream().map(v -> v.asJsonObject()).filter(e -> type.equals(e.getString("event_type")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in " + events));
    }

    private JsonObject content(String trace, JsonObject event) {
        HttpResponse<String> r = api.get("traces/" + trace + "/events/" + event.getString("id") + "/content");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return Api.json(r.body());
    }

    private static String firstText(JsonArray messages) {
        return messages.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content");
    }

    @Test
    void aHundredKilobytePromptOverOtlpIsStoredWholeWithItsCallTokensAndCost() {
        String trace = "5a000000000000000000000000000001";
        String prompt = "Summarise these retrieved passages. " + "passage text ".repeat(8_000); // ~104 KB
        HttpResponse<String> answer = export(chat(trace, gpt4o()
                .addAttributes(str("gen_ai.input.messages", genAiMessages("user", prompt)))
                .addAttributes(str("gen_ai.output.messages", genAiMessages("assistant", "The passages agree.")))));
        assertEquals(200, answer.statusCode(), answer.body());
        assertFalse(answer.body().contains("rejectedSpans"), "no span rejected: " + answer.body());

        JsonObject call = eventOfType(trace, "llm_call");
        assertEquals(25_000, call.getInt("input_tokens"));
        assertFalse(call.getJsonObject("attributes").containsKey("gen_ai.input.messages"), "moved beside the event");
        JsonObject summary = call.getJsonObject("content");
        assertTrue(summary.getBoolean("kept"));
        assertTrue(summary.getString("input_preview").startsWith("Summarise these retrieved passages."));
        assertEquals("The passages agree.", summary.getString("output_preview"));
        assertTrue(call.toString().length() < 4_000, "the frame stays small: " + call.toString().length());

        JsonObject doc = content(trace, call);
        assertEquals(prompt, firstText(doc.getJsonArray("input")), "stored whole");
        assertFalse(doc.containsKey("truncated"));
        JsonObject usage = Api.json(api.get("traces/" + trace)).getJsonObject("usage").getJsonObject("total");
        assertEquals(25_000, usage.getInt("input_tokens"));
        assertTrue(usage.getJsonNumber("estimated_cost_usd").doubleValue() > 0, "the call's cost is on the trace: " + usage);
    }

    @Test
    void aFiveMegabytePromptIsCutToTheLimitMarkedWithItsSizeAndTheCallKept() {
        String trace = "5a000000000000000000000000000002";
        String prompt = "q".repeat(5 * MIB);
        ExportTraceServiceRequest request = chat(trace, gpt4o()
                .addAttributes(str("gen_ai.input.messages", genAiMessages("user", prompt))));
        HttpResponse<String> answer = api.post("v1/traces", request.toByteArray(), "application/x-protobuf");
        assertEquals(200, answer.statusCode());

        JsonObject call = eventOfType(trace, "llm_call");
        JsonObject summary = call.getJsonObject("content");
        assertTrue(summary.getBoolean("truncated"));
        assertTrue(summary.getJsonNumber("bytes").longValue() <= MIB, summary.toString());
        JsonObject doc = content(trace, call);
        assertTrue(doc.getJsonObject("truncated").getJsonNumber("original_bytes").longValue() > 5L * MIB);
        assertTrue(firstText(doc.getJsonArray("input")).contains("[truncated: " + 5 * MIB + " characters, "));
        assertEquals(25_000, call.getInt("input_tokens"), "the call and its tokens are on the trace");
    }

    @Test
    void aTwoHundredMessageOpenInferenceConversationKeepsEveryMessageInOrder() {
        String trace = "5a000000000000000000000000000003";
        Span.Builder llm = span("ChatOpenAI", 2, 1, 100, 3_000)
                .addAttributes(str("openinference.span.kind", "LLM"))
                .addAttributes(str("llm.model_name", "gpt-4o-mini"));
        for (int i = 0; i < 200; i++) {
            llm.addAttributes(str("llm.input_messages." + i + ".message.role", i % 2 == 0 ? "user" : "assistant"))
                    .addAttributes(str("llm.input_messages." + i + ".message.content", "turn " + i));
        }
        llm.addAttributes(str("llm.output_messages.0.message.role", "assistant"))
                .addAttributes(str("llm.output_messages.0.message.content", "final answer"));
        assertEquals(200, export(chat(trace, llm)).statusCode());

        JsonObject call = eventOfType(trace, "llm_call");
        assertFalse(call.containsKey("attributes") && call.getJsonObject("attributes").containsKey("attributes_dropped"),
                "no attribute dropped: the conversation is not among them");
        JsonArray input = content(trace, call).getJsonArray("input");
        assertEquals(200, input.size());
        for (int i = 0; i < 200; i++) {
            assertEquals("turn " + i, input.getJsonObject(i).getJsonArray("parts").getJsonObject(0).getString("content"));
        }
        assertEquals("turn 198", call.getJsonObject("content").getString("input_preview"));
    }

    @Test
    void theJsonApisInputAndOutputAreReadBackInTheGenAiShape() {
        String trace = "content-json-api";
        api.append(trace, "[{\"event_type\":\"llm_call\",\"agent_id\":\"planner\",\"model\":\"gpt-4o-mini\","
                + "\"input\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Plan a trip\"}],"
                + "\"output\":\"Go to Lyon.\"},"
                + "{\"event_type\":\"tool_call\",\"agent_id\":\"planner\",\"attributes\":{\"tool\":\"search\"},"
                + "\"input\":{\"query\":\"Lyon hotels\"},\"output\":\"[{\\\"name\\\":\\\"Hotel A\\\"}]\"},"
                + "{\"event_type\":\"task_completed\",\"agent_id\":\"planner\"}]");
        JsonObject llm = eventOfType(trace, "llm_call");
        assertFalse(llm.containsKey("input"), "the producer's member is not kept on the event");
        JsonObject doc = content(trace, llm);
        assertEquals("system", doc.getJsonArray("input").getJsonObject(0).getString("role"));
        assertEquals("Plan a trip", doc.getJsonArray("input").getJsonObject(1).getJsonArray("parts").getJsonObject(0).getString("content"));
        assertEquals("Go to Lyon.", firstText(doc.getJsonArray("output")));
        assertEquals("assistant", doc.getJsonArray("output").getJsonObject(0).getString("role"));

        JsonObject toolCall = content(trace, eventOfType(trace, "tool_call")).getJsonObject("tool_call");
        assertEquals("search", toolCall.getString("name"));
        assertEquals("Lyon hotels", toolCall.getJsonObject("arguments").getString("query"));
        assertEquals("Hotel A", toolCall.getJsonArray("result").getJsonObject(0).getString("name"), "JSON text read as JSON");

        JsonObject plain = eventOfType(trace, "task_completed");
        assertFalse(plain.containsKey("content"));
        Api.problem(api.get("traces/" + trace + "/events/" + plain.getString("id") + "/content"), 404);
        Api.problem(api.get("traces/" + trace + "/events/not-an-id/content"), 400);
        HttpResponse<String> refused = api.post("traces/" + trace + "/events",
                "{\"event_type\":\"llm_call\",\"agent_id\":\"a\",\"content\":{\"kept\":true}}");
        assertTrue(Api.problem(refused, 400).toString().contains("content"), refused.body());
    }

    @Test
    void aStreamCarriesPreviewsAndWithContentTrueTheWholeContent() throws Exception {
        String trace = "content-stream";
        api.append(trace, "{\"event_type\":\"workflow_started\",\"agent_id\":\"planner\"}");
        try (SseClient plain = SseClient.open(api.uri("traces/" + trace + "/stream"));
             SseClient full = SseClient.open(api.uri("traces/" + trace + "/stream?content=true"))) {
            plain.take(1, WAIT);
            full.take(1, WAIT);
            api.append(trace, "{\"event_type\":\"llm_call\",\"agent_id\":\"planner\",\"input\":\"Where to?\",\"output\":\"Lyon.\"}");
            JsonObject previewed = Api.json(plain.take(1, WAIT).get(0).data());
            assertEquals("Where to?", previewed.getJsonObject("content").getString("input_preview"));
            assertFalse(previewed.getJsonObject("content").containsKey("full"));
            JsonObject whole = Api.json(full.take(1, WAIT).get(0).data());
            assertEquals("Lyon.", firstText(whole.getJsonObject("content").getJsonObject("full").getJsonArray("output")));
        }
    }

    @Test
    void aPlantedSecretIsRedactedFromEveryPlaceAndNoPromptReachesTheLog() throws Exception {
        String trace = "5a000000000000000000000000000004";
        String question = "My key is " + PLANTED_KEY + " and my customer number " + CUSTOMER_NUMBER + "; why does it fail?";
        int mark = ServerLog.mark();
        HttpResponse<String> answer = export(chat(trace, failed(gpt4o(), "AuthenticationError", "Incorrect API key provided: " + PLANTED_KEY)
                .addAttributes(str("gen_ai.input.messages", genAiMessages("user", question)))
                .addAttributes(str("app.note", "retrying with " + PLANTED_KEY))));
        assertEquals(200, answer.statusCode(), answer.body());
        try (SseClient stream = SseClient.open(api.uri("traces/" + trace + "/stream?content=true"))) {
            String frames = stream.takeUntil("end", WAIT).toString();
            assertTrue(frames.contains("\"full\""), "frames with the whole content: " + frames);
            assertFalse(frames.contains(PLANTED_KEY), "not in the frames");
            assertTrue(frames.contains("[REDACTED]"));
        }
        JsonObject call = eventOfType(trace, "llm_call");
        String everything = api.get("traces/" + trace + "/events?limit=1000").body()
                + content(trace, call) + api.get("traces/" + trace).body();
        assertFalse(everything.contains(PLANTED_KEY), "the key is in no stored event, content or summary");
        assertFalse(everything.contains(CUSTOMER_NUMBER), "the operator's pattern applies too");
        assertTrue(call.getJsonObject("error").getString("message").contains("[REDACTED]"));
        assertEquals(2, call.getJsonObject("content").getInt("redacted"));
        assertTrue(api.metric("tracestream_content_redactions_total") >= 4, "counted");
        String log = ServerLog.since(mark);
        assertFalse(log.contains("why does it fail"), "no prompt in the server's log");
        assertFalse(log.contains(PLANTED_KEY));
    }
}
