package io.tracestream.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tracestream.domain.pricing.ModelPrice;
import io.tracestream.domain.pricing.PriceCatalog;
import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.RedisServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenTelemetry Java SDK, as an instrumented agent application uses it, exporting to the
 * deployed WAR (real Redis): a {@link SdkTracerProvider} with a {@link SimpleSpanProcessor} (what
 * docs/opentelemetry.md recommends for live viewing: each span is exported as it ends) and the SDK's own
 * {@link OtlpHttpSpanExporter}, over {@code http/protobuf} and {@code http/json}, once gzipped.
 *
 * <p>The run is a code-review workflow with the GenAI semantic conventions: {@code invoke_workflow}
 * root, a planner agent that calls a coder and a tester, chat spans on gpt-4o and
 * claude-3-5-sonnet with token counts (and cached input), tool spans; the tester fails with an
 * exception. As SDKs do, every span is exported when it ends, so children arrive before their
 * parents and the root arrives last: the test follows the stream while the root is still open,
 * then checks the summary, the diagram, a duplicate export and the metrics.
 *
 * <p>Content capture is on, as GenAI instrumentations do it: one conversation (system instructions, a
 * user's request, an answer with text and a write_file tool call) is sent by three model calls in the
 * three GenAI forms (span attributes {@code gen_ai.input.messages}/{@code gen_ai.output.messages}/
 * {@code gen_ai.system_instructions} as JSON text; the {@code gen_ai.client.inference.operation.details}
 * event; the older indexed {@code gen_ai.prompt.<i>.*}/{@code gen_ai.completion.<i>.*}), and the tool
 * spans send {@code gen_ai.tool.call.arguments}/{@code .result}. Each call's content document must hold
 * the same messages, moved out of the event's attributes, with the right previews.
 */
@ExtendWith(ArquillianExtension.class)
class OtlpJavaSdkIT {

    static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * The guarantee is that a span is on every subscribed stream within 1 s of its export
     * being received. Asserted with a wide margin (5 s, measured from before the span ends, so the
     * export's own round trip is inside it): two cores are shared with other builds, and a
     * scheduling hiccup there is not a receiver bug. The largest latency seen is printed.
     */
    static final Duration LIVE_BOUND = Duration.ofSeconds(5);

    static final String SERVICE = "code-review-app";
    static final String TEST_FAILURE = "3 of 42 tests failed";
    static final String ROOT_FAILURE = "the tester agent failed";
    static final String GPT_4O = "gpt-4o";
    static final String GPT_4O_DATED = "gpt-4o-2024-08-06";
    static final String SONNET = "claude-3-5-sonnet";
    static final String SONNET_DATED = "claude-3-5-sonnet-20241022";
    static final String ACCEPTED_SPANS = "tracestream_otlp_spans_total";

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
    static final AttributeKey<String> WORKFLOW_NAME = AttributeKey.stringKey("gen_ai.workflow.name");
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Long> CACHE_READ = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
    static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";

    // The coder's conversation, with content capture on: asked to fix a bug, it answers with text and a
    // write_file call. Three model calls send it, each as another instrumentation writes it: span
    // attributes (CODE_CHAT_1), the details event (CODE_CHAT_2), the older indexed attributes (TEST_CHAT).
    static final String SYSTEM_TEXT = "You are the coder. Change as little as you can.";
    static final String ASK_TEXT = "Add a null check to Parser.parse";
    static final String ANSWER_TEXT = "I will patch Parser.java.";
    static final String WRITE_ARGUMENTS = "{\"path\":\"src/Parser.java\",\"patch\":\"if (input == null) return Optional.empty();\"}";
    static final String WRITE_RESULT = "{\"written\":true,\"lines_changed\":\"1\"}";
    static final String RUN_TESTS_ARGUMENTS = "{\"suite\":\"all\"}";
    static final JsonObject ASKED = Api.json("{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + ASK_TEXT + "\"}]}");
    static final JsonObject ANSWERED = Api.json("{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + ANSWER_TEXT
            + "\"},{\"type\":\"tool_call\",\"id\":\"call_w1\",\"name\":\"write_file\",\"arguments\":" + WRITE_ARGUMENTS
            + "}],\"finish_reason\":\"tool_calls\"}");
    /** The answer as kept: the same, its finish reason in the GenAI conventions' words (OpenAI's tool_calls is tool_call). */
    static final JsonObject ANSWERED_KEPT = Api.json(ANSWERED.toString().replace("\"tool_calls\"", "\"tool_call\""));
    static final JsonObject SYSTEM_PART = Api.json("{\"type\":\"text\",\"content\":\"" + SYSTEM_TEXT + "\"}");

    @ArquillianResource
    URL deployment;

    Api api;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(RedisServer.sharedUrl());
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    /** How the SDK's exporter is set up: the protocol and whether it compresses. */
    enum Protocol {
        HTTP_PROTOBUF, HTTP_JSON
    }

    @Test
    void httpProtobufRunIsLiveWhileTheRootIsOpenItsFailedRootFailsTheTraceAndItsCallsContentIsTheSameInEveryConvention() {
        Played run = play(Protocol.HTTP_PROTOBUF, false, true);
        assertSummary(run);
        assertDiagram(run);
        assertContent(run);
        assertDuplicateExportStoredOnce(run);
    }

    @Test
    void httpJsonRunWhoseRootEndsOkIsCompletedWithTheTestersFailureStillFirstAndItsCallsContentKept() {
        Played run = play(Protocol.HTTP_JSON, false, false);
        assertSummary(run);
        assertDiagram(run);
        assertContent(run);
        assertDuplicateExportStoredOnce(run);
    }

    @Test
    void gzippedHttpJsonRunIsReceivedAsTheUncompressedOneContentIncluded() {
        Played run = play(Protocol.HTTP_JSON, true, true);
        assertSummary(run);
        assertDiagram(run);
        assertContent(run);
        assertDuplicateExportStoredOnce(run);
    }

    // ---------------------------------------------------------------------------------------------
    // The run

    /** What a played run left to check: its ids, times, and the spans the SDK exported. */
    record Played(String traceId, Instant t0, boolean rootFailed, Map<String, String> spanIds, List<SpanData> exported,
                  RecordingExporter exporter) {
        String span(String name) {
            return spanIds.get(name);
        }
    }

    /** Spans of the run, by the name the test gives them. */
    static final String ROOT = "root";
    static final String PLANNER = "planner";
    static final String CODER = "coder";
    static final String TESTER = "tester";
    static final String PLAN_CHAT = "plan-chat";
    static final String CODE_CHAT_1 = "code-chat-1";
    static final String WRITE_FILE = "write-file";
    static final String CODE_CHAT_2 = "code-chat-2";
    static final String RUN_TESTS = "run-tests";
    static final String TEST_CHAT = "test-chat";
    static final String REPLAN_CHAT = "replan-chat";
    static final int SPAN_COUNT = 11;
    /** Agent spans give 3 events, model and tool spans 1, the invoke_workflow root 4. */
    static final int EVENT_COUNT = 3 * 3 + 7 + 4;

    /**
     * Plays the workflow through the SDK, span by span with explicit times (t0 two minutes ago,
     * durations as the test says), checking the stream as it goes: every span's events arrive
     * while the root is open, then the root's, then {@code end}.
     */
    private Played play(Protocol protocol, boolean gzip, boolean rootFails) {
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(api.uri("v1/traces").toString())
                .setTimeout(Duration.ofSeconds(10));
        if (protocol == Protocol.HTTP_JSON) {
            exportAsJson(builder);
        }
        if (gzip) {
            builder.setCompression("gzip");
        }
        OtlpHttpSpanExporter otlp = builder.build();
        assertEquals(protocol == Protocol.HTTP_JSON, otlp.toString().contains("exportAsJson=true"), otlp.toString());
        assertEquals(gzip, otlp.toString().contains("compressorEncoding=gzip"), otlp.toString());
        RecordingExporter exporter = new RecordingExporter(otlp);
        double acceptedBefore = Metrics.scrape(api).counter(ACCEPTED_SPANS, Map.of("outcome", "accepted"));

        Instant t0 = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Resource resource = Resource.getDefault().toBuilder().put("service.name", SERVICE).build();
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        LiveRun live = new LiveRun(provider, t0);
        try {
            Tracer tracer = provider.get("io.tracestream.it.code-review", "1.0.0");
            String conversation = "conv-" + t0.toEpochMilli();
            Span root = live.start(tracer.spanBuilder("invoke_workflow code-review").setNoParent(), ROOT, 0,
                    Attributes.of(OPERATION, "invoke_workflow", WORKFLOW_NAME, "code-review", CONVERSATION, conversation));
            String traceId = root.getSpanContext().getTraceId();
            Span planner = live.start(child(tracer, "invoke_agent planner", root), PLANNER, 100, agent("planner"));
            Span planChat = live.start(chat(tracer, planner, GPT_4O), PLAN_CHAT, 200, model("openai", GPT_4O));
            live.finish(planChat, 1_200, 1, usage(GPT_4O_DATED, 1_200, 300, 0));

            // The first span is stored: the trace exists, so a dashboard can open it (404 before).
            live.open(api.uri("traces/" + traceId + "/stream"));
            assertEquals(List.of(planChat.getSpanContext().getSpanId()), live.history(1).stream()
                    .map(m -> data(m).getString("span_id")).toList(), "the history: the planner's chat");

            Span coder = live.start(child(tracer, "invoke_agent coder", planner), CODER, 1_300, agent("coder"));
            // Content as GenAI instrumentations capture it: the request's messages at the start, the answer at the end.
            Span codeChat1 = live.start(chat(tracer, coder, SONNET), CODE_CHAT_1, 1_400, model("anthropic", SONNET + "-latest")
                    .toBuilder().put(SYSTEM_INSTRUCTIONS, array(SYSTEM_PART).toString()).put(INPUT_MESSAGES, array(ASKED).toString()).build());
            live.finish(codeChat1, 4_400, 1, usage(SONNET_DATED, 3_000, 1_500, 0).toBuilder()
                    .put(OUTPUT_MESSAGES, array(ANSWERED).toString()).build());
            Span writeFile = live.start(child(tracer, "execute_tool write_file", coder), WRITE_FILE, 4_500, tool("write_file", "call_w1")
                    .toBuilder().put(TOOL_ARGUMENTS, WRITE_ARGUMENTS).build());
            live.finish(writeFile, 4_700, 1, Attributes.of(TOOL_RESULT, WRITE_RESULT));
            // The same conversation, as an instrumentation that records it on the details event instead.
            Span codeChat2 = live.start(chat(tracer, coder, SONNET), CODE_CHAT_2, 4_800, model("anthropic", SONNET + "-latest"));
            codeChat2.addEvent(DETAILS_EVENT, Attributes.of(SYSTEM_INSTRUCTIONS, array(SYSTEM_PART).toString(),
                    INPUT_MESSAGES, array(ASKED).toString(), OUTPUT_MESSAGES, array(ANSWERED).toString()), t0.plusMillis(6_800));
            live.finish(codeChat2, 6_800, 1, usage(SONNET_DATED, 3_500, 800, 1_000));
            live.finish(coder, 9_000, 3, Attributes.empty());

            Span tester = live.start(child(tracer, "invoke_agent tester", planner), TESTER, 9_100, agent("tester"));
            Span runTests = live.start(child(tracer, "execute_tool run_tests", tester), RUN_TESTS, 9_200, tool("run_tests", "call_t1")
                    .toBuilder().put(TOOL_ARGUMENTS, RUN_TESTS_ARGUMENTS).build());
            live.finish(runTests, 14_000, 1, Attributes.of(TOOL_RESULT, TEST_FAILURE));
            // The same conversation again, as older instrumentations write it: one attribute per field.
            Span testChat = live.start(chat(tracer, tester, GPT_4O), TEST_CHAT, 14_100, model("openai", GPT_4O).toBuilder()
                    .put("gen_ai.prompt.0.role", "system").put("gen_ai.prompt.0.content", SYSTEM_TEXT)
                    .put("gen_ai.prompt.1.role", "user").put("gen_ai.prompt.1.content", ASK_TEXT).build());
            live.finish(testChat, 14_900, 1, usage(GPT_4O_DATED, 2_000, 200, 0).toBuilder()
                    .put("gen_ai.completion.0.role", "assistant").put("gen_ai.completion.0.content", ANSWER_TEXT)
                    .put("gen_ai.completion.0.finish_reason", "tool_calls")
                    .put("gen_ai.completion.0.tool_calls.0.id", "call_w1").put("gen_ai.completion.0.tool_calls.0.name", "write_file")
                    .put("gen_ai.completion.0.tool_calls.0.arguments", WRITE_ARGUMENTS).build());
            tester.recordException(new AssertionError(TEST_FAILURE));
            tester.setStatus(StatusCode.ERROR, "tests failed");
            live.finish(tester, 15_000, 3, Attributes.empty());

            Span replan = live.start(chat(tracer, planner, GPT_4O), REPLAN_CHAT, 15_100, model("openai", GPT_4O));
            live.finish(replan, 15_800, 1, usage(GPT_4O_DATED, 700, 150, 0));
            live.finish(planner, 19_000, 3, Attributes.empty());

            assertRunningWhileTheRootIsOpen(traceId, root.getSpanContext().getSpanId(), live);

            if (rootFails) {
                root.setStatus(StatusCode.ERROR, ROOT_FAILURE);
            } else {
                root.setStatus(StatusCode.OK);
            }
            live.finish(root, 20_000, 4, Attributes.empty());
            List<String> rootEvents = live.lastBatch.stream().map(m -> data(m).getString("event_type")).toList();
            assertEquals(rootFails ? "workflow_failed" : "workflow_completed", rootEvents.get(rootEvents.size() - 1), rootEvents.toString());
            Message end = live.history(1).get(0);
            assertEquals("end", end.event(), "the stream ends after the root's events: " + end);
            assertEquals(traceId, data(end).getString("trace_id"));
            System.out.printf("OtlpJavaSdkIT %s%s: %d spans exported one by one; stream latency (span end to event received) max %d ms, all %s%n",
                    protocol, gzip ? "+gzip" : "", SPAN_COUNT, live.latencies.stream().mapToLong(Long::longValue).max().orElse(-1),
                    live.latencies);

            assertTrue(exporter.failures.isEmpty(), "every export succeeded: " + exporter.failures);
            assertEquals(SPAN_COUNT, exporter.exported.size());
            double accepted = Metrics.scrape(api).counter(ACCEPTED_SPANS, Map.of("outcome", "accepted"));
            assertEquals(SPAN_COUNT, accepted - acceptedBefore, 0.0, "tracestream_otlp_spans_total{outcome=accepted} moved by the span count");
            return new Played(traceId, t0, rootFails, live.names, List.copyOf(exporter.exported), exporter);
        } finally {
            live.close();
            provider.close();
        }
    }

    /**
     * Before the root arrives: the trace runs, the agents so far are known, and the spans whose
     * parent is the (not yet exported) root sit under a placeholder for it. The planner's chat,
     * exported before the planner with the service as stand-in agent, counts as the planner's.
     */
    private void assertRunningWhileTheRootIsOpen(String traceId, String rootSpanId, LiveRun live) {
        JsonObject summary = summaryWith(traceId, EVENT_COUNT - 4);
        assertEquals("running", summary.getString("status"), "the root is still open");
        assertTrue(agentIds(summary).containsAll(Set.of("planner", "coder", "tester")), agentIds(summary).toString());
        List<JsonObject> placeholders = steps(summary).stream().filter(s -> s.getBoolean("placeholder")).toList();
        assertEquals(1, placeholders.size(), "one placeholder, for the root: " + placeholders);
        assertEquals(rootSpanId, placeholders.get(0).getString("span_id"));
        assertEquals("open", placeholders.get(0).getString("outcome"));
        assertEquals(Set.of("planner", "coder", "tester"), summary.getJsonObject("usage").getJsonObject("by_agent").keySet(),
                "the chats exported before their agent count as that agent's once it arrived");
        assertTrue(live.drain().isEmpty(), "nothing more on the stream before the root ends");
    }

    // ---------------------------------------------------------------------------------------------
    // What the run must show

    private void assertSummary(Played run) {
        JsonObject summary = summaryWith(run.traceId(), EVENT_COUNT);
        assertEquals(run.rootFailed() ? "failed" : "completed", summary.getString("status"), summary.toString());
        assertEquals(run.t0().toString(), summary.getString("started_at"));
        assertEquals(run.t0().plusMillis(20_000).toString(), summary.getString("ended_at"));
        assertEquals(20_000, summary.getJsonNumber("duration_ms").longValue());

        // Agents: the service stands for the workflow root (its invoke_workflow span names no agent).
        assertEquals(Set.of(SERVICE, "planner", "coder", "tester"), agentIds(summary));
        assertEquals("done", agent(summary, "planner").getString("state"));
        assertEquals("done", agent(summary, "coder").getString("state"));
        JsonObject tester = agent(summary, "tester");
        assertEquals("failed", tester.getString("state"));
        assertEquals(TEST_FAILURE, tester.getJsonObject("last_error").getString("message"));
        assertEquals(2, agent(summary, "planner").getInt("llm_calls"));
        assertEquals(2, agent(summary, "coder").getInt("llm_calls"));
        assertEquals(1, agent(summary, "coder").getInt("tool_calls"));

        // The chain: who called whom.
        Set<String> edges = summary.getJsonObject("graph").getJsonArray("edges").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("from") + "->" + e.getString("to") + ":" + e.getString("kind")).collect(Collectors.toSet());
        assertTrue(edges.containsAll(Set.of(SERVICE + "->planner:call", "planner->coder:call", "planner->tester:call")), edges.toString());

        // Steps: one per span, placed under their parents, with the spans' own times.
        List<JsonObject> steps = steps(summary);
        assertTrue(steps.stream().noneMatch(s -> s.getBoolean("placeholder")), "the root replaced its placeholder");
        assertEquals(SPAN_COUNT, steps.size(), steps.toString());
        assertStep(run, steps, PLANNER, "task", "planner", 100, 18_900, "completed", ROOT);
        assertStep(run, steps, CODER, "task", "coder", 1_300, 7_700, "completed", PLANNER);
        assertStep(run, steps, TESTER, "task", "tester", 9_100, 5_900, "failed", PLANNER);
        assertStep(run, steps, PLAN_CHAT, "llm_call", "planner", 200, 1_000, "completed", PLANNER);
        assertStep(run, steps, CODE_CHAT_1, "llm_call", "coder", 1_400, 3_000, "completed", CODER);
        assertStep(run, steps, WRITE_FILE, "tool_call", "coder", 4_500, 200, "completed", CODER);
        assertStep(run, steps, RUN_TESTS, "tool_call", "tester", 9_200, 4_800, "completed", TESTER);
        assertStep(run, steps, TEST_CHAT, "llm_call", "tester", 14_100, 800, "completed", TESTER);
        assertEquals(GPT_4O_DATED, step(run, steps, PLAN_CHAT).getString("model"));
        assertEquals(SONNET_DATED, step(run, steps, CODE_CHAT_2).getString("model"));

        // Tokens and cost: every model priced from the bundled table, none unknown.
        JsonObject usage = summary.getJsonObject("usage");
        JsonObject total = usage.getJsonObject("total");
        assertEquals(1_200 + 3_000 + 3_500 + 2_000 + 700, total.getInt("input_tokens"));
        assertEquals(300 + 1_500 + 800 + 200 + 150, total.getInt("output_tokens"));
        assertEquals(1_000, total.getInt("cache_read_input_tokens"));
        assertTrue(usage.getJsonArray("models_without_price").isEmpty(), usage.toString());
        assertEquals(0, total.getInt("unpriced_events"), usage.toString());
        assertFalse(usage.isNull("price_table"), "the bundled price table is named");
        assertEquals("@pydantic/genai-prices", usage.getJsonObject("price_table").getString("source"));
        assertFalse(total.isNull("cost_usd"), "cost known: " + total);
        BigDecimal expected = expectedCost(run.t0());
        assertEquals(0, expected.compareTo(total.getJsonNumber("cost_usd").bigDecimalValue()),
                "cost " + total.get("cost_usd") + " = the table's prices times the tokens, " + expected);
        assertEquals(0, expected.compareTo(total.getJsonNumber("estimated_cost_usd").bigDecimalValue()), total.toString());
        assertEquals(Set.of(GPT_4O_DATED, SONNET_DATED), usage.getJsonObject("by_model").keySet());
        JsonObject byAgent = usage.getJsonObject("by_agent");
        assertEquals(Set.of("planner", "coder", "tester"), byAgent.keySet());
        assertEquals(1_900, byAgent.getJsonObject("planner").getInt("input_tokens"));
        assertEquals(6_500, byAgent.getJsonObject("coder").getInt("input_tokens"));
        assertEquals(2_000, byAgent.getJsonObject("tester").getInt("input_tokens"));

        // The first failure: the tester, with the exception's type and message, and its callers.
        JsonObject failures = summary.getJsonObject("failures");
        JsonObject first = failures.getJsonObject("first_failure");
        assertNotNull(first, failures.toString());
        assertEquals("tester", first.getString("agent_id"));
        assertEquals("invoke_agent tester", first.getString("name"));
        assertEquals(run.t0().plusMillis(15_000).toString(), first.getString("failed_at"));
        assertEquals("java.lang.AssertionError", first.getJsonObject("error").getString("type"));
        assertEquals(TEST_FAILURE, first.getJsonObject("error").getString("message"));
        List<String> callers = first.getJsonArray("caller_chain").getValuesAs(JsonObject.class).stream()
                .map(c -> c.isNull("agent_id") ? null : c.getString("agent_id")).toList();
        assertTrue(callers.contains("planner") && callers.contains(SERVICE), "caller chain " + callers);
        if (run.rootFailed()) {
            assertEquals(ROOT_FAILURE, failures.getJsonObject("workflow_error").getString("message"));
        } else {
            assertTrue(failures.isNull("workflow_error"), failures.toString());
        }
    }

    private void assertDiagram(Played run) {
        HttpResponse<String> diagram = api.get("traces/" + run.traceId() + "/diagram");
        assertEquals(200, diagram.statusCode(), diagram.body());
        String text = diagram.body();
        assertTrue(text.startsWith("sequenceDiagram"), text);
        for (String agent : List.of("planner", "coder", "tester")) {
            assertTrue(text.contains(" as " + agent + "\n"), agent + " is a participant:\n" + text);
        }
        assertTrue(text.contains("--x"), "the tester's failed reply is drawn:\n" + text);
        assertTrue(text.contains(TEST_FAILURE), "the failure's message is on the diagram:\n" + text);
    }

    /**
     * What the calls said, read at each event's content endpoint: the one conversation the coder's
     * two chats and the tester's chat send in three GenAI forms gives the same system instructions
     * (or, in the older form, the same system message), the same user and assistant messages, the
     * write_file call's arguments a JSON object; the tools' arguments and results are kept with their
     * names. Every content attribute is moved out of its event, the previews say what was asked and
     * answered, and the chat that sent no content has none.
     */
    private void assertContent(Played run) {
        Map<String, JsonObject> events = eventsBySpan(run);
        JsonArray system = array(SYSTEM_PART);
        JsonArray input = array(ASKED);
        JsonArray output = array(ANSWERED_KEPT);

        JsonObject attributes = content(run, events, CODE_CHAT_1);
        assertEquals(system, attributes.getJsonArray("system_instructions"), attributes.toString());
        assertEquals(input, attributes.getJsonArray("input"), attributes.toString());
        assertEquals(output, attributes.getJsonArray("output"), attributes.toString());
        JsonObject arguments = attributes.getJsonArray("output").getJsonObject(0).getJsonArray("parts").getJsonObject(1)
                .getJsonObject("arguments");
        assertEquals("src/Parser.java", arguments.getString("path"), "the tool call's arguments are a JSON object");

        JsonObject details = content(run, events, CODE_CHAT_2);
        assertEquals(attributes, details, "the details event gives what the span attributes give");

        JsonObject older = content(run, events, TEST_CHAT);
        JsonArray olderInput = older.getJsonArray("input");
        assertEquals(Json.createObjectBuilder().add("role", "system").add("parts", system).build(), olderInput.getJsonObject(0),
                "the older form's system message says the system instructions: " + older);
        assertEquals(input, Json.createArrayBuilder(olderInput).remove(0).build(), older.toString());
        assertEquals(output, older.getJsonArray("output"), "the same answer, finish reason included: " + older);
        assertFalse(older.containsKey("system_instructions"), older.toString());

        for (String chat : List.of(CODE_CHAT_1, CODE_CHAT_2, TEST_CHAT)) {
            assertPreviews(events.get(run.span(chat)), ASK_TEXT, ANSWER_TEXT);
        }

        JsonObject write = content(run, events, WRITE_FILE).getJsonObject("tool_call");
        assertEquals(Json.createObjectBuilder().add("name", "write_file").add("arguments", Api.json(WRITE_ARGUMENTS))
                .add("result", Api.json(WRITE_RESULT)).build(), write);
        assertPreviews(events.get(run.span(WRITE_FILE)), WRITE_ARGUMENTS, WRITE_RESULT);
        JsonObject tests = content(run, events, RUN_TESTS).getJsonObject("tool_call");
        assertEquals(Json.createObjectBuilder().add("name", "run_tests").add("arguments", Api.json(RUN_TESTS_ARGUMENTS))
                .add("result", TEST_FAILURE).build(), tests, "a result that is not JSON stays text");
        assertPreviews(events.get(run.span(RUN_TESTS)), RUN_TESTS_ARGUMENTS, TEST_FAILURE);

        for (String span : List.of(CODE_CHAT_1, CODE_CHAT_2, TEST_CHAT, WRITE_FILE, RUN_TESTS)) {
            JsonObject event = events.get(run.span(span));
            JsonObject left = event.containsKey("attributes") ? event.getJsonObject("attributes") : JsonValue.EMPTY_JSON_OBJECT;
            List<String> contentKeys = left.keySet().stream().filter(k -> k.startsWith("gen_ai.input.") || k.startsWith("gen_ai.output.")
                    || k.startsWith("gen_ai.system_instructions") || k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion")
                    || k.startsWith("gen_ai.tool.call.arguments") || k.startsWith("gen_ai.tool.call.result")).toList();
            assertEquals(List.of(), contentKeys, span + ": content is moved out of the event's attributes: " + event);
        }

        JsonObject plain = events.get(run.span(PLAN_CHAT));
        assertFalse(plain.containsKey("content"), "the planner's chat sent no content: " + plain);
        assertEquals(404, api.get("traces/" + run.traceId() + "/events/" + plain.getString("id") + "/content").statusCode());
    }

    /** Every event of the run by its span; the spans asked about have one event each. */
    private Map<String, JsonObject> eventsBySpan(Played run) {
        JsonObject page = Api.json(api.get("traces/" + run.traceId() + "/events?limit=1000"));
        Map<String, JsonObject> bySpan = new LinkedHashMap<>();
        for (JsonObject e : page.getJsonArray("events").getValuesAs(JsonObject.class)) {
            bySpan.merge(e.getString("span_id"), e, (a, b) -> a.containsKey("content") ? a : b);
        }
        return bySpan;
    }

    private JsonObject content(Played run, Map<String, JsonObject> events, String span) {
        JsonObject event = events.get(run.span(span));
        assertNotNull(event, span);
        assertTrue(event.containsKey("content") && event.getJsonObject("content").getBoolean("kept"), span + " keeps content: " + event);
        HttpResponse<String> r = api.get("traces/" + run.traceId() + "/events/" + event.getString("id") + "/content");
        assertEquals(200, r.statusCode(), span + ": " + r.body());
        return Api.json(r);
    }

    private static void assertPreviews(JsonObject event, String input, String output) {
        JsonObject content = event.getJsonObject("content");
        assertEquals(input, content.getString("input_preview", null), content.toString());
        assertEquals(output, content.getString("output_preview", null), content.toString());
    }

    private static JsonArray array(JsonObject... items) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        for (JsonObject item : items) {
            b.add(item);
        }
        return b.build();
    }

    /** The SDK's exporter sends the very same spans again, as after a lost answer: nothing new is stored. */
    private void assertDuplicateExportStoredOnce(Played run) {
        CompletableResultCode again = run.exporter().delegate.export(run.exported());
        assertTrue(again.join(WAIT.toSeconds(), TimeUnit.SECONDS).isSuccess(), "the repeated export is accepted");
        // A part of it again, in another batch shape.
        CompletableResultCode part = run.exporter().delegate.export(run.exported().subList(3, 7));
        assertTrue(part.join(WAIT.toSeconds(), TimeUnit.SECONDS).isSuccess());
        assertEquals(EVENT_COUNT, countEvents(run.traceId()), "stored once");
        assertEquals(EVENT_COUNT, summaryWith(run.traceId(), EVENT_COUNT).getInt("event_count"));
        run.exporter().delegate.shutdown().join(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** Cost of the run's chats at the bundled table's prices, computed here from the table itself. */
    private static BigDecimal expectedCost(Instant t0) {
        PriceCatalog catalog = PriceCatalog.bundled().orElseThrow(() -> new AssertionError("no bundled price table on the class path"));
        ModelPrice gpt = catalog.find(GPT_4O_DATED, "openai", t0).orElseThrow().price();
        ModelPrice sonnet = catalog.find(SONNET_DATED, "anthropic", t0).orElseThrow().price();
        return gpt.costOf(1_200, 300).add(gpt.costOf(2_000, 200)).add(gpt.costOf(700, 150))
                .add(sonnet.costOf(3_000, 1_500)).add(sonnet.costOf(3_500, 1_000, 800));
    }

    private static void exportAsJson(OtlpHttpSpanExporterBuilder builder) {
        // The 1.68 span exporter's builder has no public http/json switch (its metric exporter's
        // has; the SDK's autoconfigure knows only grpc and http/protobuf for Java). Its delegate,
        // the SDK's own HttpExporterBuilder, has: set it, and the real exporter writes OTLP/JSON
        // with the SDK's JSON marshalers and Content-Type application/json.
        try {
            Field delegate = OtlpHttpSpanExporterBuilder.class.getDeclaredField("delegate");
            delegate.setAccessible(true);
            ((HttpExporterBuilder) delegate.get(builder)).exportAsJson();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the SDK's exporter builder changed: " + e, e);
        }
    }

    private static SpanBuilder child(Tracer tracer, String name, Span parent) {
        return tracer.spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(SpanKind.INTERNAL);
    }

    private static SpanBuilder chat(Tracer tracer, Span parent, String model) {
        return tracer.spanBuilder("chat " + model).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT);
    }

    private static Attributes agent(String name) {
        return Attributes.of(OPERATION, "invoke_agent", AGENT_NAME, name, AGENT_ID, "agent-" + name, PROVIDER, "openai");
    }

    /** A chat span as instrumentations start it; like most, it does not name its agent. */
    private static Attributes model(String provider, String requestModel) {
        return Attributes.of(OPERATION, "chat", PROVIDER, provider, REQUEST_MODEL, requestModel);
    }

    private static Attributes usage(String responseModel, long input, long output, long cacheRead) {
        var b = Attributes.builder().put(RESPONSE_MODEL, responseModel).put(INPUT_TOKENS, input).put(OUTPUT_TOKENS, output)
                .put(FINISH_REASONS, List.of("stop"));
        if (cacheRead > 0) {
            b.put(CACHE_READ, cacheRead);
        }
        return b.build();
    }

    private static Attributes tool(String name, String callId) {
        return Attributes.of(OPERATION, "execute_tool", TOOL_NAME, name, TOOL_CALL_ID, callId, TOOL_TYPE, "function");
    }

    /** The trace's summary once it holds {@code events} events (the summary cache follows the fan-out). */
    private JsonObject summaryWith(String traceId, int events) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonObject summary = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api.get("traces/" + traceId);
            if (response.statusCode() == 200) {
                summary = Api.json(response);
                if (summary.getInt("event_count") == events) {
                    return summary;
                }
            }
            sleep(100);
        }
        throw new AssertionError("the summary of " + traceId + " did not reach " + events + " events: " + summary);
    }

    private int countEvents(String traceId) {
        JsonObject page = Api.json(api.get("traces/" + traceId + "/events?limit=1000"));
        return page.getJsonArray("events").size();
    }

    private static Set<String> agentIds(JsonObject summary) {
        return summary.getJsonArray("agents").getValuesAs(JsonObject.class).stream().map(a -> a.getString("agent_id"))
                .collect(Collectors.toSet());
    }

    private static JsonObject agent(JsonObject summary, String id) {
        return summary.getJsonArray("agents").getValuesAs(JsonObject.class).stream()
                .filter(a -> id.equals(a.getString("agent_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no agent " + id + " in " + summary.getJsonArray("agents")));
    }

    private static List<JsonObject> steps(JsonObject summary) {
        return summary.getJsonArray("steps").getValuesAs(JsonObject.class);
    }

    private static JsonObject step(Played run, List<JsonObject> steps, String span) {
        String id = run.span(span);
        return steps.stream().filter(s -> id.equals(s.getString("span_id", null))).findFirst()
                .orElseThrow(() -> new AssertionError("no step for span " + span + " (" + id + ") in " + steps));
    }

    private static void assertStep(Played run, List<JsonObject> steps, String span, String kind, String agent,
                                   long startMs, long durationMs, String outcome, String parent) {
        JsonObject step = step(run, steps, span);
        String what = span + ": " + step;
        assertEquals(kind, step.getString("kind"), what);
        assertEquals(agent, step.getString("agent_id"), what);
        assertEquals(run.t0().plusMillis(startMs).toString(), step.getString("started_at"), what);
        assertEquals(durationMs, step.getJsonNumber("duration_ms").longValue(), what);
        assertEquals(outcome, step.getString("outcome"), what);
        assertEquals(run.span(parent), step.getString("parent_span_id"), what);
        JsonObject parentStep = step(run, steps, parent);
        assertEquals(parentStep.getInt("index"), step.getInt("parent_index"), what);
        if ("failed".equals(outcome)) {
            assertEquals(TEST_FAILURE, step.getJsonObject("error").getString("message"), what);
        } else {
            assertTrue(step.isNull("error"), what);
        }
    }

    static JsonObject data(Message m) {
        return Json.createReader(new StringReader(m.data())).readObject();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drives the SDK span by span: starts spans at explicit times, ends them, waits for the
     * processor's export, and, once a stream is open, takes that span's events from it.
     */
    private static final class LiveRun implements AutoCloseable {
        final SdkTracerProvider provider;
        final Instant t0;
        final Map<String, String> names = new LinkedHashMap<>();
        final List<Long> latencies = new ArrayList<>();
        SseClient stream;
        List<Message> lastBatch = List.of();

        LiveRun(SdkTracerProvider provider, Instant t0) {
            this.provider = provider;
            this.t0 = t0;
        }

        Span start(SpanBuilder builder, String name, long atMs, Attributes attributes) {
            Span span = builder.setStartTimestamp(t0.plusMillis(atMs)).setAllAttributes(attributes).startSpan();
            names.put(name, span.getSpanContext().getSpanId());
            return span;
        }

        /**
         * Ends the span (its exporter sends it at once), and with a stream open takes its
         * {@code events} events, which must all be that span's, within {@link #LIVE_BOUND}.
         */
        void finish(Span span, long atMs, int events, Attributes attributes) {
            span.setAllAttributes(attributes);
            long sent = System.nanoTime();
            span.end(t0.plusMillis(atMs));
            CompletableResultCode flushed = provider.forceFlush().join(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(flushed.isSuccess(), "the SimpleSpanProcessor's export finished");
            if (stream == null) {
                return;
            }
            lastBatch = stream.take(events, WAIT);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            latencies.add(millis);
            String spanId = span.getSpanContext().getSpanId();
            for (Message m : lastBatch) {
                assertEquals(spanId, data(m).getString("span_id"), "the events of the span just ended: " + lastBatch);
            }
            assertTrue(millis <= LIVE_BOUND.toMillis(), "on the stream " + millis + " ms after the span ended");
        }

        void open(URI uri) {
            stream = SseClient.open(uri);
            assertEquals(200, stream.status(), "the stream of a trace with a stored span");
        }

        List<Message> history(int count) {
            return stream.take(count, WAIT);
        }

        List<Message> drain() {
            return stream.drain(Duration.ofMillis(300));
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.close();
            }
        }
    }

    /** The SDK's exporter, with every span it was given and every export that failed kept. */
    static final class RecordingExporter implements SpanExporter {
        final OtlpHttpSpanExporter delegate;
        final List<SpanData> exported = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        RecordingExporter(OtlpHttpSpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            exported.addAll(spans);
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (!result.isSuccess()) {
                    failures.add(spans.stream().map(SpanData::getName).toList() + ": " + result.getFailureThrowable());
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            // The test exports again after the provider closed: the delegate is shut down by the test.
            return CompletableResultCode.ofSuccess();
        }
    }
}
