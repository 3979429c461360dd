package io.tracestream.frameworks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testing.TestDeployments;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real agent frameworks, unmodified and with their own documented telemetry set-up, as users run
 * them against the server the README starts (in memory): LangGraph.js with OpenInference, the OpenAI
 * Agents SDK for JS with OpenInference, Mastra with its OpenTelemetry exporter (programs in
 * {@code src/test/frameworks}, run by Node) and Google ADK for Java ({@link AdkWorkflow}, in this
 * JVM), each a 3-agent run with tools, a hand-off where the framework has one and a failing tool,
 * against a fake model ({@link FakeModel}).
 *
 * <p>As a dashboard does: the list stream names the new trace the moment its first span is stored,
 * and the trace's stream is opened at once, from the start. That client must get every event the
 * trace stores and then {@code end}; so must a client that opens the finished trace. The summary
 * must name the agents as the framework does, draw its hand-offs as hand-offs, count the tokens the
 * model served and their cost, and find the failing tool with its caller chain.
 *
 * <p>Needs Node 20+ and {@code npm ci --prefix src/test/frameworks} (Maven's install-frameworks does
 * it); fails, not skips, without them.
 */
@ExtendWith(ArquillianExtension.class)
class AgentFrameworksIT {

    /** A run takes a few seconds; on a loaded 2-core machine a cold framework may take ten times that. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The bundled price table (pom.xml's genai-prices.version), per call of 120 input and 30 output tokens. */
    private static final BigDecimal GPT_4O_MINI_CALL = new BigDecimal("0.000036"); // 0.15 in, 0.60 out per Mtok
    private static final BigDecimal GEMINI_25_FLASH_CALL = new BigDecimal("0.000111"); // 0.30 in, 2.50 out per Mtok
    private static final Path OUTPUT_DIR = Path.of("target", "frameworks");

    /** The server as the README starts it: the default history cap, and the default end grace for concurrent exports. */
    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of("tracestream.trace.max-events", "10000", "tracestream.trace.end-grace", "PT2S"));
    }

    @ArquillianResource
    URL deployment;

    private Api api;

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    @Test
    void langGraphJsNodesAreAgentsTheirCommandsHandOffsTheirPlumbingFoldedAndTheRunStreamsToTheEnd() throws Exception {
        Run run = run("langgraph", model -> node("langgraph.mjs", model));

        assertAgents(run, Set.of("langgraph-research", "planner", "researcher", "writer"));
        assertEquals(Set.of("langgraph-research->planner call", "planner->researcher handoff", "researcher->writer handoff"),
                run.edges());
        run.assertUsage(GPT_4O_MINI_CALL);
        JsonObject first = run.firstFailure();
        assertEquals("fetch_page", first.getString("name"));
        assertEquals("researcher", first.getString("agent_id"));
        assertEquals("Error", first.getJsonObject("error").getString("type"));
        assertEquals(run.result.getString("failing_tool_error"), first.getJsonObject("error").getString("message"));
        assertTrue(first.getJsonObject("error").getString("stacktrace").contains("\n    at "), "the stack apart from the message");
        assertEquals(List.of("langgraph-research", "researcher"), run.callerAgents());
        assertEquals(1, run.failures().getInt("failed_steps"), "LangGraph's hand-offs (ParentCommand) are no failures");
        assertTrue(run.steps().stream().anyMatch(s -> !s.isNull("plumbing")), "LangChain's plumbing is there, folded");
        assertTrue(run.diagram.contains("-)"), run.diagram);
    }

    @Test
    void openAiAgentsHandOffsAreHandOffsTheRunIsTheWorkflowAndTheRunStreamsToTheEnd() throws Exception {
        Run run = run("openai-agents", model -> node("openai-agents.mjs", model));

        assertAgents(run, Set.of("openai-agents-travel", "Triage Agent", "Weather Agent", "Booking Agent"));
        assertEquals(Set.of("openai-agents-travel->Triage Agent call", "Triage Agent->Weather Agent handoff",
                "Weather Agent->Booking Agent handoff"), run.edges());
        run.assertUsage(GPT_4O_MINI_CALL);
        JsonObject first = run.firstFailure();
        assertEquals("book_hotel", first.getString("name"));
        assertEquals("Booking Agent", first.getString("agent_id"));
        assertEquals("Error running tool (non-fatal)", first.getJsonObject("error").getString("type"));
        assertEquals(List.of("openai-agents-travel", "Booking Agent"), run.callerAgents());
        assertTrue(run.steps().stream().noneMatch(s -> s.getString("name", "").startsWith("handoff")), "no hand-off is a tool call");
        assertTrue(run.diagram.contains("-)"), run.diagram);
    }

    @Test
    void mastraSubAgentsAreCallsItsModelLoopIsFoldedAndTheRunStreamsToTheEnd() throws Exception {
        Run run = run("mastra", model -> node("mastra.mjs", model));

        assertAgents(run, Set.of("Coordinator", "Researcher", "Writer"));
        assertEquals(Set.of("Coordinator->Researcher call", "Coordinator->Writer call"), run.edges());
        run.assertUsage(GPT_4O_MINI_CALL);
        JsonObject first = run.firstFailure();
        assertEquals("check_style", first.getString("name"));
        assertEquals("Writer", first.getString("agent_id"));
        assertEquals(List.of("Coordinator", "Coordinator", "Writer"), run.callerAgents(),
                "the Coordinator's agent-writer tool called the Writer");
        assertTrue(run.steps().stream().anyMatch(s -> "model_chunk".equals(s.getString("plumbing", null))));
    }

    @Test
    void googleAdkTransfersAreHandOffsItsToolErrorIsAFailureAndTheRunStreamsToTheEnd() throws Exception {
        Run run = run("adk", model -> CompletableFuture.supplyAsync(() ->
                Api.json(AdkWorkflow.run(api.uri("/").toString(), model.url()).toJson())));

        assertAgents(run, Set.of("adk-travel", "coordinator", "weather_agent", "booking_agent"));
        assertEquals(Set.of("adk-travel->coordinator call", "coordinator->weather_agent handoff",
                "weather_agent->booking_agent handoff"), run.edges());
        run.assertUsage(GEMINI_25_FLASH_CALL);
        JsonObject first = run.firstFailure();
        assertEquals("book_hotel", first.getString("name"));
        assertEquals("booking_agent", first.getString("agent_id"));
        assertEquals(AdkWorkflow.TOOL_ERROR_MESSAGE, first.getJsonObject("error").getString("message"));
        assertEquals(List.of("adk-travel", "coordinator", "weather_agent", "booking_agent", "booking_agent"), run.callerAgents());
        assertTrue(run.diagram.contains("-)"), run.diagram);
    }

    // ---------------------------------------------------------------- one run, watched as a dashboard does

    private record Run(JsonObject result, JsonObject summary, String diagram, int modelCalls) {

        Set<String> edges() {
            return summary.getJsonObject("graph").getJsonArray("edges").getValuesAs(JsonObject.class).stream()
                    .map(e -> e.getString("from") + "->" + e.getString("to") + " " + e.getString("kind"))
                    .collect(Collectors.toSet());
        }

        List<JsonObject> steps() {
            return summary.getJsonArray("steps").getValuesAs(JsonObject.class);
        }

        JsonObject failures() {
            return summary.getJsonObject("failures");
        }

        JsonObject firstFailure() {
            JsonObject first = failures().getJsonObject("first_failure");
            assertNotNull(first, () -> "no failure found: " + failures());
            return first;
        }

        List<String> callerAgents() {
            return firstFailure().getJsonArray("caller_chain").getValuesAs(JsonObject.class).stream()
                    .map(c -> c.isNull("agent_id") ? null : c.getString("agent_id")).toList();
        }

        /** The tokens the fake model served, and their price from the bundled table, estimated. */
        void assertUsage(BigDecimal perCall) {
            JsonObject total = summary.getJsonObject("usage").getJsonObject("total");
            assertEquals((long) modelCalls * FakeModel.INPUT_TOKENS_PER_CALL, total.getJsonNumber("input_tokens").longValue(), total::toString);
            assertEquals((long) modelCalls * FakeModel.OUTPUT_TOKENS_PER_CALL, total.getJsonNumber("output_tokens").longValue());
            assertEquals(0, perCall.multiply(BigDecimal.valueOf(modelCalls)).compareTo(total.getJsonNumber("cost_usd").bigDecimalValue()),
                    total::toString);
            assertEquals(0, total.getInt("unpriced_events"));
        }
    }

    /** Runs a producer against the deployment and the fake model, watching its trace as a dashboard does. */
    private Run run(String name, Function<FakeModel, CompletableFuture<JsonObject>> producer) throws Exception {
        try (FakeModel model = FakeModel.start();
             SseClient list = SseClient.open(api.uri("/traces"), Map.of())) {
            assertEquals(200, list.status(), "the list stream");
            Set<String> before = new HashSet<>(traceIds());
            CompletableFuture<JsonObject> done = producer.apply(model);

            String traceId = newTrace(list, before, done);
            List<Message> live;
            try (SseClient watcher = SseClient.open(api.uri("/traces/" + traceId + "/stream"), Map.of())) {
                assertEquals(200, watcher.status());
                live = watcher.takeUntil("end", RUN_TIMEOUT);
            }
            JsonObject result = done.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(traceId, result.getString("otel_trace_id"), "the trace the list named is the run's");

            List<String> stored = storedIds(traceId);
            assertEquals(stored, ids(live), "the client watching from the start got every stored event, once, in order");
            assertEnd(live, traceId, stored);
            try (SseClient late = SseClient.open(api.uri("/traces/" + traceId + "/stream"), Map.of())) {
                List<Message> replay = late.takeUntil("end", WAIT);
                assertEquals(stored, ids(replay), "a client opening the finished trace gets its history");
                assertEnd(replay, traceId, stored);
            }
            JsonObject summary = Api.json(api.get("/traces/" + traceId));
            String diagram = api.get("/traces/" + traceId + "/diagram").body();
            Files.createDirectories(OUTPUT_DIR);
            Files.writeString(OUTPUT_DIR.resolve(name + "-summary.json"), summary.toString());
            Files.writeString(OUTPUT_DIR.resolve(name + "-diagram.mmd"), diagram);
            assertEquals("completed", summary.getString("status"), summary::toString);
            assertEquals(List.of(), summary.getJsonArray("warnings"), summary::toString);
            return new Run(result, summary, diagram, model.calls());
        }
    }

    private static void assertEnd(List<Message> messages, String traceId, List<String> stored) {
        Message end = messages.get(messages.size() - 1);
        assertEquals("end", end.event());
        JsonObject data = Api.json(end.data());
        assertEquals(traceId, data.getString("trace_id"));
        assertEquals(stored.get(stored.size() - 1), data.getString("last_event_id"), "the end follows the last event stored");
    }

    /**
     * @param named the framework's agents by their names, and the service (its resource's
     *              {@code service.name}) where the run's root span is the application's, not an agent's
     */
    private static void assertAgents(Run run, Set<String> named) {
        Map<String, String> states = run.summary.getJsonArray("agents").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(a -> a.getString("agent_id"), a -> a.getString("state"), (a, b) -> a, TreeMap::new));
        assertEquals(named, states.keySet());
        states.forEach((agent, state) -> assertEquals("done", state, agent));
    }

    /** The first trace the list stream names that was not there before the run. */
    private static String newTrace(SseClient list, Set<String> before, CompletableFuture<JsonObject> producer) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (producer.isCompletedExceptionally()) {
                producer.join(); // throws what the producer threw
            }
            for (Message m : list.drain(Duration.ofMillis(50))) {
                if ("trace".equals(m.event())) {
                    String id = Api.json(m.data()).getString("trace_id");
                    if (!before.contains(id)) {
                        return id;
                    }
                }
            }
        }
        throw new AssertionError("the list stream named no new trace within " + RUN_TIMEOUT);
    }

    private List<String> traceIds() {
        return Api.json(api.get("/traces?limit=1000")).getJsonArray("traces").getValuesAs(JsonObject.class).stream()
                .map(t -> t.getString("trace_id")).toList();
    }

    private List<String> storedIds(String traceId) {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            JsonObject page = Api.json(api.get("/traces/" + traceId + "/events?limit=1000" + (after == null ? "" : "&after=" + after)));
            page.getJsonArray("events").getValuesAs(JsonObject.class).forEach(e -> ids.add(e.getString("id")));
            if (!page.containsKey("next_after") || page.isNull("next_after") || page.getJsonArray("events").isEmpty()) {
                return ids;
            }
            after = page.getString("next_after");
        }
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().filter(m -> m.event() == null).map(Message::id).toList();
    }

    /** A Node producer of src/test/frameworks: its result is the JSON object of its last stdout line. */
    private CompletableFuture<JsonObject> node(String script, FakeModel model) {
        Process process;
        try {
            process = new ProcessBuilder("node", script, api.uri("/").toString(), model.url())
                    .directory(FakeModel.SCRIPTS.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): " + FakeModel.SETUP_HINT, e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        return CompletableFuture.supplyAsync(() -> {
            String stdout = read(process.getInputStream());
            try {
                if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(script + " did not finish within " + RUN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(script + " exited " + process.exitValue() + "; stdout:\n" + stdout
                        + "\nstderr:\n" + stderr.join());
            }
            String[] lines = stdout.strip().split("\n");
            return Api.json(lines[lines.length - 1]);
        });
    }

    private static String read(java.io.InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
