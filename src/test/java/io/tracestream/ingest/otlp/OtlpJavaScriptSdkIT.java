package io.tracestream.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testing.TestDeployments;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real JavaScript producers against the deployed WAR: the OpenTelemetry JavaScript SDK
 * ({@code @opentelemetry/sdk-trace-node}, OTLP/HTTP protobuf) with hand-made GenAI spans, and the
 * Vercel AI SDK's own telemetry with its mock model ({@code ai/test}, OTLP/HTTP JSON), both run by
 * Node from {@code src/test/otlp-js} (see its {@code producer.mjs} for the stdout/stdin protocol).
 * Each run has three agents with model and tool calls, one failing, and holds its root span open
 * while the test watches the stream: the children's events arrive live, before the root span has
 * even been exported; the root's end then ends the workflow and the stream. The summary and the
 * diagram are checked against what the scripts did.
 *
 * <p>Content capture is on in both: the researcher agent of each run has the same conversation
 * (asked to research, it calls web_search, then answers), written by otel-workflow.mjs as the GenAI
 * conventions write it (and its first call once more as an OpenInference LLM span) and by the AI SDK
 * as it records inputs and outputs by default. Read at the content endpoint, every convention gives
 * the same GenAI messages (finish reasons aside where OpenInference cannot carry them; the AI SDK's
 * are kept in GenAI's words) and the same tool
 * call; the content attributes are moved out of the events, whose previews say what was asked and answered.
 *
 * <p>Needs Node 20+ and {@code npm ci --prefix src/test/otlp-js} (Maven's install-otlp-js does it);
 * fails, not skips, without them.
 */
@ExtendWith(ArquillianExtension.class)
class OtlpJavaScriptSdkIT {

    private static final Path SCRIPTS = Path.of("src", "test", "otlp-js");
    private static final String SETUP_HINT = "run `npm ci --prefix src/test/otlp-js` (Node 20+ and npm must be installed)";
    /** Node starts, imports the SDKs and exports its first span in about a second here: wide margins. */
    private static final Duration SCRIPT_STEP = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern OTEL_TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    /** Where each run's final summary and diagram are written, for a human to look at after a failure. */
    private static final Path OUTPUT_DIR = Path.of("target", "otlp-js");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.inMemory();
    }

    @ArquillianResource
    URL deployment;

    private Api api;

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    /** What a script's run must look like on the stream. */
    private record ExpectedRun(String script, int eventsAtFirstCheckpoint, int childEvents, String workflowEnd) {}

    @Test
    void aWorkflowTracedWithTheOpenTelemetryJavaScriptSdkStreamsLiveIsSummarisedAndItsGenAiAndOpenInferenceContentAreTheSameMessages()
            throws Exception {
        // 4 chat, 1 OpenInference LLM and 2 execute_tool spans (one event each) and 3 invoke_agent spans
        // (agent_called, task_started, task end); the root adds workflow_started, task_started, task_failed, workflow_failed.
        String runId = "otel-js-" + UUID.randomUUID();
        Watched run = watch(new ExpectedRun("otel-workflow.mjs", 1, 16, "workflow_failed"), runId);

        JsonObject rootStart = run.events.stream().filter(e -> "workflow_started".equals(e.getString("event_type")))
                .findFirst().orElseThrow();
        assertEquals(runId, rootStart.getJsonObject("attributes").getString("gen_ai.conversation.id"),
                "the run's conversation id rides on the root's events");

        JsonObject summary = summary(run.traceId);
        assertEquals("failed", summary.getString("status"), summary::toString);
        assertEquals(20, summary.getInt("event_count"));
        assertEquals(List.of(), summary.getJsonArray("warnings"), "the spans' arrival order is nothing odd");
        assertAgents(summary, Set.of("research-assistant", "planner", "researcher", "writer"));
        assertEquals("failed", agent(summary, "writer").getString("state"));
        assertEquals("done", agent(summary, "researcher").getString("state"));
        assertEquals(3, agent(summary, "researcher").getInt("llm_calls"), "two GenAI chats and the OpenInference LLM span");
        assertEquals(1, agent(summary, "researcher").getInt("tool_calls"));
        assertCalls(summary, "research-assistant", "planner");
        assertCalls(summary, "planner", "researcher");
        assertCalls(summary, "planner", "writer");
        assertEquals(List.of("render_chart", "web_search"), stepNames(summary, "tool_call"));
        assertEquals(5, stepNames(summary, "llm_call").size());

        JsonObject usage = summary.getJsonObject("usage");
        assertUsage(usage.getJsonObject("total"), 5500, 1350, 256);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("planner"), 1200, 150, 0);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("researcher"), 2300, 600, 256);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("writer"), 2000, 600, 0);
        assertEquals(Set.of("gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18"), usage.getJsonObject("by_model").keySet());
        // Every model is a real one: all four calls are priced from the bundled table, none reported.
        JsonObject total = usage.getJsonObject("total");
        assertEquals(0, total.getInt("unpriced_events"), total::toString);
        assertEquals(List.of(), usage.getJsonArray("models_without_price"));
        assertEquals(money(total, "estimated_cost_usd"), money(total, "cost_usd"));
        assertEquals(0, money(total, "reported_cost_usd").signum());
        // Per million tokens in the bundled table (pom.xml's genai-prices.version): gpt-4o 2.50 in,
        // 10 out; gpt-4o-mini 0.15 in, 0.075 cached in, 0.60 out. gpt-4o: 3200 in, 750 out = 0.0155;
        // gpt-4o-mini: 2044 in + 256 cached + 600 out = 0.0006858, the cached tokens at their own price.
        assertEquals(new BigDecimal("0.0161858"), money(total, "cost_usd"), total::toString);
        assertNotNull(usage.getJsonObject("price_table"), "the summary names the bundled price table");
        assertEquals("@pydantic/genai-prices", usage.getJsonObject("price_table").getString("source"));

        JsonObject failures = summary.getJsonObject("failures");
        JsonObject first = failures.getJsonObject("first_failure");
        assertEquals("writer", first.getString("agent_id"), failures::toString);
        assertEquals("invoke_agent writer", first.getString("name"));
        assertEquals("ReportValidationError", first.getJsonObject("error").getString("type"));
        assertEquals("chart render_chart returned no data series", first.getJsonObject("error").getString("message"));
        assertTrue(callerAgents(first).contains("planner"), first::toString);
        assertTrue(failures.getJsonObject("workflow_error").getString("message").startsWith("report not written"),
                failures::toString);

        assertDiagramNames(run.traceId, "planner", "researcher", "writer");
        assertGenAiAndOpenInferenceContentGiveTheResearchersConversation(run);
    }

    /**
     * Content capture on: the researcher's GenAI chats, the OpenInference LLM span of its first call
     * and its GenAI tool span keep their content beside their events, moved out of their attributes,
     * and read back as the conversation vercel-ai.mjs's researcher has: the same messages.
     */
    private void assertGenAiAndOpenInferenceContentGiveTheResearchersConversation(Watched run) {
        List<JsonObject> calls = researchers(run.traceId, "llm_call");
        assertEquals(3, calls.size(), calls::toString);
        JsonObject genAiFirst = calls.get(0);
        JsonObject openInference = calls.get(1);
        JsonObject genAiSecond = calls.get(2);
        for (JsonObject call : calls) {
            assertNoContentAttributes(call);
        }
        assertEquals("gpt-4o-mini-2024-07-18", openInference.getString("model"), openInference::toString);

        // The first call: asked, and answered with a web_search call, in both conventions.
        JsonObject first = content(run.traceId, genAiFirst);
        assertEquals(RESEARCHER_SYSTEM, first.getJsonArray("system_instructions"), first::toString);
        assertEquals(array(ASKED), first.getJsonArray("input"), first::toString);
        assertEquals(array(CALLS_SEARCH), withoutFinishReason(first.getJsonArray("output")), first::toString);
        assertEquals("tool_call", first.getJsonArray("output").getJsonObject(0).getString("finish_reason"),
                "GenAI carries the finish reason");
        JsonObject oi = content(run.traceId, openInference);
        JsonArray oiInput = oi.getJsonArray("input");
        assertEquals(Json.createObjectBuilder().add("role", "system").add("parts", RESEARCHER_SYSTEM).build(), oiInput.getJsonObject(0),
                "OpenInference's system message says GenAI's system instructions: " + oi);
        assertFalse(oi.containsKey("system_instructions"), oi::toString);
        assertEquals(first.getJsonArray("input"), Json.createArrayBuilder(oiInput).remove(0).build(),
                "OpenInference gives the GenAI input: " + oi);
        assertEquals(withoutFinishReason(first.getJsonArray("output")), oi.getJsonArray("output"),
                "OpenInference gives the GenAI output (it has no finish reason): " + oi);
        assertPreviews(genAiFirst, "Research OTLP adoption", "web_search(" + SEARCH + ")");
        assertPreviews(openInference, "Research OTLP adoption", "web_search(" + SEARCH + ")");

        // The second: the whole conversation so far, with the tool's answer, and the text answer.
        JsonObject second = content(run.traceId, genAiSecond);
        assertEquals(array(ASKED, CALLS_SEARCH, SEARCHED), second.getJsonArray("input"), second::toString);
        assertEquals(array(ANSWERED), withoutFinishReason(second.getJsonArray("output")), second::toString);
        assertPreviews(genAiSecond, "Research OTLP adoption", ANSWER);

        List<JsonObject> tools = researchers(run.traceId, "tool_call");
        assertEquals(1, tools.size(), tools::toString);
        assertNoContentAttributes(tools.get(0));
        assertEquals(SEARCH_CALL, content(run.traceId, tools.get(0)).getJsonObject("tool_call"));
        assertPreviews(tools.get(0), SEARCH.toString(), SEARCH_RESULT.toString());
    }

    /**
     * The AI SDK records inputs and outputs by default: the researcher's doGenerate calls keep the
     * prompt, the mock model's tool call and answer, its ai.generateText span the prompt and the final
     * answer, and its ai.toolCall span the tool's arguments and result, read back as the very messages
     * the GenAI conventions give (otel-workflow.mjs).
     */
    private void assertAiSdkContentGivesTheResearchersConversation(Watched run) {
        // The researcher's doGenerate spans: ai.prompt.messages, ai.response.toolCalls / ai.response.text.
        List<JsonObject> calls = researchers(run.traceId, "llm_call");
        assertEquals(2, calls.size(), calls::toString);
        for (JsonObject call : calls) {
            assertNoContentAttributes(call);
        }
        JsonObject first = content(run.traceId, calls.get(0));
        assertEquals(array(ASKED), first.getJsonArray("input"), "the prompt is the user message: " + first);
        assertEquals(array(CALLS_SEARCH), withoutFinishReason(first.getJsonArray("output")),
                "the mock model's tool call, its arguments a JSON object: " + first);
        assertEquals("tool_call", first.getJsonArray("output").getJsonObject(0).getString("finish_reason"),
                "the AI SDK's tool-calls in GenAI's words, as the GenAI run's own: " + first);
        assertFalse(first.containsKey("system_instructions"), first::toString);
        String definitions = String.valueOf(first.get("tool_definitions"));
        assertTrue(definitions.contains("web_search") && definitions.contains("Searches the web"), "ai.prompt.tools: " + first);
        assertPreviews(calls.get(0), "Research OTLP adoption", "web_search(" + SEARCH + ")");
        JsonObject second = content(run.traceId, calls.get(1));
        assertEquals(array(ASKED, CALLS_SEARCH, SEARCHED), second.getJsonArray("input"), second::toString);
        assertEquals(array(ANSWERED), withoutFinishReason(second.getJsonArray("output")),
                "the mock model's answer text: " + second);
        assertEquals("stop", second.getJsonArray("output").getJsonObject(0).getString("finish_reason"), second::toString);
        assertPreviews(calls.get(1), "Research OTLP adoption", ANSWER);

        // Its ai.generateText span, the agent's: ai.prompt (the JSON of the call's prompt) and the final
        // ai.response.text, on the event that ends the agent's task.
        List<JsonObject> done = researchers(run.traceId, "task_completed");
        assertEquals(1, done.size(), done::toString);
        assertNoContentAttributes(done.get(0));
        JsonObject task = content(run.traceId, done.get(0));
        assertEquals(array(ASKED), task.getJsonArray("input"), "ai.prompt's prompt is the user message: " + task);
        assertEquals(array(ANSWERED), withoutFinishReason(task.getJsonArray("output")), task::toString);

        // Its ai.toolCall span: ai.toolCall.args and ai.toolCall.result.
        List<JsonObject> tools = researchers(run.traceId, "tool_call");
        assertEquals(1, tools.size(), tools::toString);
        assertNoContentAttributes(tools.get(0));
        assertEquals(SEARCH_CALL, content(run.traceId, tools.get(0)).getJsonObject("tool_call"));
        assertPreviews(tools.get(0), SEARCH.toString(), SEARCH_RESULT.toString());
    }

    @Test
    void aVercelAiSdkRunWithItsMockModelStreamsLiveIsSummarisedAndRecordsItsCallsContentAsTheGenAiMessages() throws Exception {
        // Spans: 3 ai.generateText (agents, 3 events each), 7 doGenerate and 4 ai.toolCall (one each);
        // the root, an application span, adds workflow_started, task_started, task_completed, workflow_completed.
        String runId = "vercel-" + UUID.randomUUID();
        Watched run = watch(new ExpectedRun("vercel-ai.mjs", 1, 20, "workflow_completed"), runId);

        JsonObject summary = summary(run.traceId);
        assertEquals("completed", summary.getString("status"), summary::toString);
        assertEquals(24, summary.getInt("event_count"));
        assertEquals(List.of(), summary.getJsonArray("warnings"), "the spans' arrival order is nothing odd");
        assertAgents(summary, Set.of("report-app", "planner", "researcher", "writer"));
        assertEquals("failed", agent(summary, "writer").getString("state"));
        assertEquals("done", agent(summary, "planner").getString("state"));
        assertEquals(3, agent(summary, "planner").getInt("llm_calls"));
        assertEquals(2, agent(summary, "planner").getInt("tool_calls"));
        assertCalls(summary, "report-app", "planner");
        assertCalls(summary, "planner", "researcher");
        assertCalls(summary, "planner", "writer");
        assertEquals(List.of("delegate_research", "delegate_writing", "render_chart", "web_search"),
                stepNames(summary, "tool_call"));
        assertEquals(7, stepNames(summary, "llm_call").size());

        JsonObject usage = summary.getJsonObject("usage");
        // The writer's second model call threw: it has no usage.
        assertUsage(usage.getJsonObject("total"), 6700, 725, 512);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("planner"), 4400, 385, 512);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("researcher"), 1600, 280, 0);
        assertUsage(usage.getJsonObject("by_agent").getJsonObject("writer"), 700, 60, 0);
        // gpt-4o (as the mock answers it, dated) is priced from the bundled table; the mock's default
        // model id is in no table: the total cost is unknown and the summary says which model lacks a price.
        assertEquals(List.of("mock-model-id"), usage.getJsonArray("models_without_price").getValuesAs(JsonString::getString));
        JsonObject total = usage.getJsonObject("total");
        assertEquals(JsonValue.NULL, total.get("cost_usd"), total::toString);
        assertEquals(2, total.getInt("unpriced_events"), total::toString);
        // gpt-4o at 2.50 in, 1.25 cached in, 10 out per million: the planner 3888 in + 512 cached +
        // 385 out = 0.01421, the writer 700 in + 60 out = 0.00235.
        assertEquals(new BigDecimal("0.01656"), money(total, "known_cost_usd"), total::toString);
        assertEquals(money(total, "known_cost_usd"), money(total, "estimated_cost_usd"));
        JsonObject gpt4o = usage.getJsonObject("by_model").getJsonObject("gpt-4o-2024-08-06");
        assertNotNull(gpt4o, usage::toString);
        assertEquals(money(gpt4o, "estimated_cost_usd"), money(gpt4o, "cost_usd"));

        JsonObject first = summary.getJsonObject("failures").getJsonObject("first_failure");
        assertEquals("writer", first.getString("agent_id"), first::toString);
        assertEquals("llm_call", first.getString("kind"));
        assertEquals("ModelOverloadedError", first.getJsonObject("error").getString("type"));
        assertEquals("the writer model is overloaded (mock)", first.getJsonObject("error").getString("message"));
        assertTrue(callerAgents(first).contains("planner"), first::toString);

        assertDiagramNames(run.traceId, "planner", "researcher", "writer");
        assertAiSdkContentGivesTheResearchersConversation(run);
    }

    // ---------------------------------------------------------------------------------------------
    // The researcher's conversation, which otel-workflow.mjs (GenAI and OpenInference) and
    // vercel-ai.mjs (the AI SDK with its mock model) both have: the messages every convention must give.

    private static final String ANSWER = "Most agent frameworks export OTLP.";
    private static final JsonObject SEARCH = Api.json("{\"query\":\"OTLP adoption 2026\"}");
    private static final JsonObject SEARCH_RESULT = Api.json("{\"results\":[\"OTLP adoption 2026: 3 results\"]}");
    private static final JsonObject ASKED = Api.json(
            "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Research OTLP adoption\"}]}");
    private static final JsonObject CALLS_SEARCH = Api.json("{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\","
            + "\"id\":\"call_search_1\",\"name\":\"web_search\",\"arguments\":" + SEARCH + "}]}");
    private static final JsonObject SEARCHED = Api.json("{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\","
            + "\"id\":\"call_search_1\",\"response\":" + SEARCH_RESULT + "}]}");
    private static final JsonObject ANSWERED = Api.json(
            "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + ANSWER + "\"}]}");
    private static final JsonArray RESEARCHER_SYSTEM = Json.createArrayBuilder()
            .add(Api.json("{\"type\":\"text\",\"content\":\"You research with web_search.\"}")).build();
    private static final JsonObject SEARCH_CALL = Json.createObjectBuilder().add("name", "web_search")
            .add("arguments", SEARCH).add("result", SEARCH_RESULT).build();
    /** Attribute keys of content, in any convention: moved to the content, never left on the event. */
    private static final Pattern CONTENT_KEY = Pattern.compile("gen_ai\\.(input|output)\\.messages|gen_ai\\.system_instructions"
            + "|gen_ai\\.tool\\.call\\.(arguments|result)|gen_ai\\.(prompt|completion)(\\..*)?|llm\\.(input|output)_messages\\..*"
            + "|input\\.value|output\\.value|ai\\.prompt(\\.messages|\\.tools)?|ai\\.response\\.(text|toolCalls|object)"
            + "|ai\\.toolCall\\.(args|result|input|output)");

    /**
     * The researcher's events of a type, in the order they happened: those it names, or (model and
     * tool spans that name no agent) whose parent is its span.
     */
    private List<JsonObject> researchers(String traceId, String type) {
        HttpResponse<String> page = api.get("traces/" + traceId + "/events?limit=1000");
        assertEquals(200, page.statusCode(), page.body());
        List<JsonObject> events = Api.json(page).getJsonArray("events").getValuesAs(JsonObject.class);
        Set<String> researcherSpans = events.stream().filter(e -> "researcher".equals(e.getString("agent_id", null)))
                .map(e -> e.getString("span_id", "")).collect(Collectors.toSet());
        List<JsonObject> found = events.stream().filter(e -> type.equals(e.getString("event_type")))
                .filter(e -> "researcher".equals(e.getString("agent_id", null))
                        || researcherSpans.contains(e.getString("parent_span_id", "")))
                .sorted(Comparator.comparing(e -> Instant.parse(e.getString("timestamp")))).toList();
        assertFalse(found.isEmpty(), () -> "no " + type + " of the researcher in " + events);
        return found;
    }

    private JsonObject content(String traceId, JsonObject event) {
        HttpResponse<String> r = api.get("traces/" + traceId + "/events/" + event.getString("id") + "/content");
        assertEquals(200, r.statusCode(), () -> "the content of " + event + ": " + r.body());
        return Api.json(r);
    }

    private static void assertNoContentAttributes(JsonObject event) {
        assertTrue(event.containsKey("content"), () -> "the event has content: " + event);
        assertTrue(event.getJsonObject("content").getBoolean("kept"), event::toString);
        JsonObject attributes = event.containsKey("attributes") ? event.getJsonObject("attributes") : JsonValue.EMPTY_JSON_OBJECT;
        List<String> left = attributes.keySet().stream().filter(k -> CONTENT_KEY.matcher(k).matches()).toList();
        assertEquals(List.of(), left, () -> "content keys moved out of the event's attributes: " + event);
    }

    private static void assertPreviews(JsonObject event, String input, String output) {
        JsonObject content = event.getJsonObject("content");
        assertEquals(input, content.getString("input_preview", null), content::toString);
        assertEquals(output, content.getString("output_preview", null), content::toString);
    }

    private static JsonArray array(JsonObject... messages) {
        var b = Json.createArrayBuilder();
        for (JsonObject m : messages) {
            b.add(m);
        }
        return b.build();
    }

    /** The messages without their finish reasons, which not every convention can carry. */
    private static JsonArray withoutFinishReason(JsonArray messages) {
        var b = Json.createArrayBuilder();
        for (JsonObject m : messages.getValuesAs(JsonObject.class)) {
            b.add(Json.createObjectBuilder(m).remove("finish_reason"));
        }
        return b.build();
    }

    /** A run watched from its first exported span to the end of its stream. */
    private record Watched(String traceId, List<JsonObject> events) {}

    /**
     * Runs a script, opens the stream as soon as the trace exists, and checks that the children's
     * events arrive live while the root span is open (nothing ends the workflow or the stream, the
     * summary runs and shows the missing root as a placeholder), then that the root's end ends both.
     */
    private Watched watch(ExpectedRun expected, String runId) throws Exception {
        try (NodeScript script = NodeScript.start(expected.script, api.uri("").toString().replaceAll("/+$", ""), runId)) {
            String traceId = script.expect("trace").trim();
            assertTrue(OTEL_TRACE_ID.matcher(traceId).matches(), traceId);
            script.expect("checkpoint planned");
            try (SseClient stream = SseClient.open(api.uri("traces/" + traceId + "/stream"))) {
                assertEquals(200, stream.status());
                List<JsonObject> events = new ArrayList<>(data(stream.take(expected.eventsAtFirstCheckpoint, WAIT)));

                script.send("continue");
                script.expect("checkpoint children-exported");
                long exportedAt = System.nanoTime();
                List<JsonObject> live = data(stream.take(expected.childEvents - expected.eventsAtFirstCheckpoint, WAIT));
                System.out.printf("%s: %d child events on the stream %d ms after the last child export%n", expected.script,
                        live.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exportedAt));
                events.addAll(live);
                assertTrue(events.stream().allMatch(e -> traceId.equals(e.getString("trace_id"))));
                Set<String> typesWhileOpen = events.stream().map(e -> e.getString("event_type")).collect(Collectors.toSet());
                assertEquals(Set.of("llm_call", "tool_call", "agent_called", "task_started", "task_completed", "task_failed"),
                        typesWhileOpen, "children only, while the root is open");
                assertEquals(List.of(), stream.drain(Duration.ofMillis(500)), "nothing more while the root is open");
                assertFalse(stream.ended());

                JsonObject running = summary(traceId);
                assertEquals("running", running.getString("status"), running::toString);
                assertEquals(1, running.getJsonArray("steps").stream()
                        .filter(s -> s.asJsonObject().getBoolean("placeholder")).count(),
                        () -> "the root span, not received yet, is one placeholder: " + running.getJsonArray("steps"));
                assertEquals(expected.childEvents, running.getInt("event_count"));

                script.send("continue");
                script.expect("done");
                script.awaitSuccess();
                List<Message> ending = stream.take(5, WAIT);
                assertEquals("end", ending.get(4).event(), ending::toString);
                List<JsonObject> rootEvents = data(ending.subList(0, 4));
                assertEquals(expected.workflowEnd, rootEvents.get(3).getString("event_type"), rootEvents::toString);
                events.addAll(rootEvents);
                assertTrue(waitUntilEnded(stream), "the server closes the stream after end");

                JsonObject finished = summary(traceId);
                keep(expected.script, finished.toString(), api.get("traces/" + traceId + "/diagram").body());
                assertTrue(finished.getJsonArray("steps").stream().noneMatch(s -> s.asJsonObject().getBoolean("placeholder")),
                        () -> "the root re-attached its children: " + finished.getJsonArray("steps"));
                return new Watched(traceId, events);
            }
        }
    }

    private static void keep(String script, String summary, String diagram) throws IOException {
        Files.createDirectories(OUTPUT_DIR);
        String name = script.replace(".mjs", "");
        Files.writeString(OUTPUT_DIR.resolve(name + "-summary.json"), summary, StandardCharsets.UTF_8);
        Files.writeString(OUTPUT_DIR.resolve(name + "-diagram.mmd"), diagram, StandardCharsets.UTF_8);
    }

    private JsonObject summary(String traceId) {
        HttpResponse<String> response = api.get("traces/" + traceId);
        assertEquals(200, response.statusCode(), response.body());
        return Api.json(response);
    }

    private void assertDiagramNames(String traceId, String... agents) {
        HttpResponse<String> diagram = api.get("traces/" + traceId + "/diagram");
        assertEquals(200, diagram.statusCode(), diagram.body());
        assertTrue(diagram.body().startsWith("sequenceDiagram"), diagram.body());
        for (String agent : agents) {
            assertTrue(Pattern.compile("(?m)^\\s*participant .*\\b" + agent + "\\b").matcher(diagram.body()).find(),
                    () -> agent + " is a participant:\n" + diagram.body());
        }
    }

    private static void assertAgents(JsonObject summary, Set<String> expected) {
        Set<String> agents = summary.getJsonArray("agents").stream().map(a -> a.asJsonObject().getString("agent_id"))
                .collect(Collectors.toSet());
        assertEquals(expected, agents, summary::toString);
    }

    private static JsonObject agent(JsonObject summary, String id) {
        return summary.getJsonArray("agents").stream().map(JsonValue::asJsonObject)
                .filter(a -> id.equals(a.getString("agent_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no agent " + id + " in " + summary.getJsonArray("agents")));
    }

    private static void assertCalls(JsonObject summary, String from, String to) {
        JsonArray edges = summary.getJsonObject("graph").getJsonArray("edges");
        assertTrue(edges.stream().map(JsonValue::asJsonObject).anyMatch(e -> from.equals(e.getString("from"))
                && to.equals(e.getString("to")) && "call".equals(e.getString("kind"))),
                () -> from + " calls " + to + ": " + edges);
    }

    private static List<String> stepNames(JsonObject summary, String kind) {
        return summary.getJsonArray("steps").stream().map(JsonValue::asJsonObject)
                .filter(s -> kind.equals(s.getString("kind"))).map(s -> s.getString("name", "?")).sorted().toList();
    }

    private static List<String> callerAgents(JsonObject firstFailure) {
        return firstFailure.getJsonArray("caller_chain").stream().map(JsonValue::asJsonObject)
                .map(c -> c.getString("agent_id", null)).toList();
    }

    private static void assertUsage(JsonObject usage, long input, long output, long cacheRead) {
        assertNotNull(usage);
        assertEquals(input, usage.getJsonNumber("input_tokens").longValue(), usage::toString);
        assertEquals(output, usage.getJsonNumber("output_tokens").longValue(), usage::toString);
        assertEquals(cacheRead, usage.getJsonNumber("cache_read_input_tokens").longValue(), usage::toString);
    }

    private static BigDecimal money(JsonObject usage, String field) {
        assertFalse(usage.isNull(field), () -> field + " in " + usage);
        return usage.getJsonNumber(field).bigDecimalValue().stripTrailingZeros();
    }

    private static List<JsonObject> data(List<Message> messages) {
        for (Message m : messages) {
            assertEquals(null, m.event(), () -> "an event, not a named message: " + messages);
        }
        return messages.stream().map(m -> Json.createReader(new StringReader(m.data())).readObject()).toList();
    }

    private static boolean waitUntilEnded(SseClient stream) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!stream.ended() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return stream.ended();
    }

    /**
     * A producer script under Node, spoken to as {@code producer.mjs} describes: its stdout lines
     * are read as they come, stdin answers its checkpoints, stderr is kept for failure messages.
     */
    private static final class NodeScript implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer stderr = new StringBuffer();
        private final OutputStream stdin;

        private NodeScript(List<String> command, Process process) {
            this.command = command;
            this.process = process;
            this.stdin = process.getOutputStream();
            pump(process.getInputStream(), lines::add, "stdout");
            pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), "stderr");
        }

        static NodeScript start(String script, String baseUrl, String runId) {
            if (!Files.isDirectory(SCRIPTS.resolve("node_modules").resolve("ai"))) {
                fail("The npm packages are missing in " + SCRIPTS.toAbsolutePath() + ": " + SETUP_HINT);
            }
            List<String> command = List.of("node", script, baseUrl, runId);
            try {
                return new NodeScript(command, new ProcessBuilder(command).directory(SCRIPTS.toFile()).start());
            } catch (IOException e) {
                throw new AssertionError("cannot run node (" + e.getMessage() + "): " + SETUP_HINT, e);
            }
        }

        /** The rest of the next stdout line, which must start with {@code prefix}. */
        String expect(String prefix) throws InterruptedException {
            String line = lines.poll(SCRIPT_STEP.toSeconds(), TimeUnit.SECONDS);
            if (line == null) {
                fail("no \"" + prefix + "\" line from " + command + " within " + SCRIPT_STEP
                        + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")") + "; stderr:\n" + stderr);
            }
            if (!line.startsWith(prefix)) {
                fail("expected \"" + prefix + "\" from " + command + ", got \"" + line + "\"; stderr:\n" + stderr);
            }
            return line.substring(prefix.length());
        }

        void send(String line) throws IOException {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        void awaitSuccess() throws InterruptedException {
            if (!process.waitFor(SCRIPT_STEP.toSeconds(), TimeUnit.SECONDS)) {
                fail(command + " did not exit within " + SCRIPT_STEP + "; stderr:\n" + stderr);
            }
            assertEquals(0, process.exitValue(), () -> command + " failed; stderr:\n" + stderr);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }

        private static void pump(InputStream in, Consumer<String> sink, String name) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        sink.accept(line);
                    }
                } catch (IOException ended) {
                    // the process went away
                }
            }, "node-" + name);
            reader.setDaemon(true);
            reader.start();
        }
    }
}
