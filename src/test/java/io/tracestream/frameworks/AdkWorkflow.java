package io.tracestream.frameworks;

import com.google.adk.agents.LlmAgent;
import com.google.adk.events.Event;
import com.google.adk.models.Gemini;
import com.google.adk.runner.InMemoryRunner;
import com.google.adk.sessions.Session;
import com.google.adk.telemetry.Tracing;
import com.google.adk.tools.Annotations.Schema;
import com.google.adk.tools.FunctionTool;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Google ADK for Java 1.8.0, unmodified, as a Trace Stream producer for the framework tests.
 *
 * <p>What it runs: three {@link LlmAgent}s on ADK's {@link Gemini} model, whose Gemini API client
 * is pointed at the fake model (src/test/frameworks/fake-model.mjs, which follows the {@code #call}
 * and {@code #answer} lines of each agent's instruction). {@code coordinator} calls its function
 * tool {@code lookup_trip}, then hands the run to its sub-agent {@code weather_agent} with ADK's
 * hand-off, the built-in {@code transfer_to_agent} tool; {@code weather_agent} calls
 * {@code get_weather} and hands off to its peer {@code booking_agent}; {@code booking_agent} calls
 * {@code book_hotel}, which throws. ADK's FunctionTool catches the exception, logs it (a SEVERE
 * line and a stack trace of about 900 lines on stderr) and answers the model
 * {@code {"status":"error","message":"An internal error occurred."}}: the exception's own message
 * reaches neither the model nor the spans. The model then answers, and the run ends normally. Six
 * model calls (120 input and 30 output tokens each), five tool calls of which two are hand-offs,
 * fifteen spans in one trace.
 *
 * <p>Telemetry, as a Java user of ADK sets it up: ADK makes its own spans ({@code invocation},
 * {@code invoke_agent <agent>}, {@code call_llm}, {@code execute_tool <tool>}, scope
 * {@code gcp.vertex.agent}) with the tracer it takes from {@link GlobalOpenTelemetry}, so an
 * OpenTelemetry SDK is registered as the global one before ADK runs: an {@link SdkTracerProvider}
 * with the SDK's OTLP/HTTP exporter (protobuf) to {@code <trace-stream>/v1/traces}. What is not
 * the default, and why:
 * <ul>
 *   <li>{@link SimpleSpanProcessor}, not the batch processor: each span is exported as soon as it
 *       ends, for live viewing (what docs/opentelemetry.md tells users).
 *   <li>The exporter gets its own thread pool ({@code setExecutorService}: unbounded, daemon
 *       threads, shut down after the provider). With its default pool, the OkHttp sender of
 *       OpenTelemetry Java 1.68 runs at most 5 exports at once and drops the span of any further
 *       export instead of queueing it ("Failed to export 1 spans ... executor rejected"): the
 *       simple processor exports each span on its own, and a run ends its last 7 spans within a few
 *       tens of milliseconds, so a first run against a freshly started server lost 5 of its 15
 *       spans, the root among them. With its own pool the exporter still sends at most 5 at once
 *       per host and queues the rest in order.
 *   <li>{@code service.name} is {@code adk-travel}.
 *   <li>Set up and torn down per call, not per process: the global is reset before and after
 *       ({@code GlobalOpenTelemetry.resetForTest()}), and ADK is handed the tracer
 *       ({@link Tracing#setTracerForTesting}, ADK 1.8.0's only way to set it), because ADK's
 *       {@code Tracing} class takes its tracer from the global once, when it loads: a second run in
 *       the same JVM would otherwise make its spans with the first run's provider, shut down by
 *       then, and export nothing. A program that registers its SDK once, before ADK loads, needs
 *       neither.
 *   <li>A second span processor only records the trace id and span names for the result line.
 * </ul>
 * {@link #run} flushes and shuts the provider down before it returns, so every span has left. The
 * tools are synchronous on purpose: a tool whose result arrives on another thread (one returning a
 * {@code Single} subscribed elsewhere) makes ADK 1.8.0 leave its {@code execute_tool} span current
 * on the thread that started the run, and the next run on that thread is then made a child of that
 * stale span, in the old trace. The result says whether the run left a span current
 * ({@code context_leaked_to_caller}).
 *
 * <p>Command line: {@code AdkWorkflow <trace-stream-base-url> <fake-model-base-url>}; the last
 * stdout line is the result as one JSON object ({@link Result#toJson()}).
 */
public final class AdkWorkflow {

    public static final String SERVICE_NAME = "adk-travel";
    public static final String MODEL = "gemini-2.5-flash";
    public static final String APP_NAME = "travel";
    public static final String USER_ID = "traveller";
    public static final String HANDOFF_TOOL = "transfer_to_agent";
    public static final String FAILING_TOOL = "book_hotel";
    /** What book_hotel throws; ADK keeps it to its log. */
    public static final String FAILING_TOOL_EXCEPTION = "java.lang.IllegalStateException: no rooms left in Paris";
    /** What ADK's FunctionTool answers the model for any tool that threw. */
    public static final String TOOL_ERROR_MESSAGE = "An internal error occurred.";

    private AdkWorkflow() {
    }

    // ------------------------------------------------------------------ the tools

    @Schema(name = "lookup_trip", description = "Looks up the traveller's trip.")
    public static Map<String, Object> lookupTrip(@Schema(name = "traveller", description = "who travels") String traveller) {
        return Map.of("traveller", traveller, "city", "Paris", "nights", 2);
    }

    @Schema(name = "get_weather", description = "Returns the weather forecast for a city.")
    public static Map<String, Object> getWeather(@Schema(name = "city", description = "the city") String city) {
        return Map.of("city", city, "forecast", "sunny", "celsius", 21);
    }

    @Schema(name = FAILING_TOOL, description = "Books a hotel room in a city.")
    public static Map<String, Object> bookHotel(@Schema(name = "city", description = "the city") String city,
            @Schema(name = "nights", description = "how many nights") int nights) {
        throw new IllegalStateException("no rooms left in " + city);
    }

    // ------------------------------------------------------------------ the agents

    /** The coordinator, with the weather and booking agents as its sub-agents (transfer targets). */
    static LlmAgent agents(Gemini model) {
        LlmAgent booking = LlmAgent.builder()
                .name("booking_agent")
                .description("Books hotels.")
                .model(model)
                .instruction(String.join("\n",
                        "You book the hotel for the trip.",
                        "#call book_hotel {\"city\": \"Paris\", \"nights\": 2}",
                        "#answer Sorry, the hotel could not be booked."))
                .tools(FunctionTool.create(AdkWorkflow.class, "bookHotel"))
                .build();
        LlmAgent weather = LlmAgent.builder()
                .name("weather_agent")
                .description("Checks the weather at the destination.")
                .model(model)
                .instruction(String.join("\n",
                        "You check the weather, then hand the booking to the booking agent.",
                        "#call get_weather {\"city\": \"Paris\"}",
                        "#call transfer_to_agent {\"agent_name\": \"booking_agent\"}"))
                .tools(FunctionTool.create(AdkWorkflow.class, "getWeather"))
                .build();
        return LlmAgent.builder()
                .name("coordinator")
                .description("Plans the trip and hands it to the specialists.")
                .model(model)
                .instruction(String.join("\n",
                        "You plan the trip, then hand it to the weather agent.",
                        "#call lookup_trip {\"traveller\": \"Ada\"}",
                        "#call transfer_to_agent {\"agent_name\": \"weather_agent\"}"))
                .tools(FunctionTool.create(AdkWorkflow.class, "lookupTrip"))
                .subAgents(weather, booking)
                .build();
    }

    // ------------------------------------------------------------------ the run

    /** What a run did, from ADK's events and the spans it ended, for the test's assertions. */
    public record Result(String otelTraceId, String rootSpan, List<String> agents, String rootAgent,
            List<List<String>> handoffs, List<String> tools, int toolCalls, String failingTool, String failingAgent,
            Map<String, Object> failingToolResponse, int modelCalls, long inputTokens, long outputTokens,
            String finalAnswer, String sessionId, List<String> spanNames, boolean contextLeakedToCaller,
            long durationMs) {

        public String toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("framework", "google-adk-java 1.8.0");
            json.put("otel_trace_id", otelTraceId);
            json.put("service_name", SERVICE_NAME);
            json.put("root_span", rootSpan);
            json.put("agents", agents);
            json.put("root_agent", rootAgent);
            json.put("handoff_tool", HANDOFF_TOOL);
            json.put("handoffs", handoffs);
            json.put("tools", tools);
            json.put("tool_calls", toolCalls);
            json.put("failing_tool", failingTool);
            json.put("failing_agent", failingAgent);
            json.put("failing_tool_response", failingToolResponse);
            json.put("failing_tool_exception", FAILING_TOOL_EXCEPTION);
            json.put("model", MODEL);
            json.put("model_calls", modelCalls);
            json.put("input_tokens", inputTokens);
            json.put("output_tokens", outputTokens);
            json.put("final_answer", finalAnswer);
            json.put("session_id", sessionId);
            json.put("span_count", spanNames.size());
            json.put("span_names", spanNames);
            json.put("context_leaked_to_caller", contextLeakedToCaller);
            json.put("duration_ms", durationMs);
            return Json.createObjectBuilder(json).build().toString();
        }
    }

    /**
     * Runs the workflow once, exporting ADK's spans to {@code traceStreamBaseUrl}/v1/traces, with the
     * Gemini API served by the fake model at {@code fakeModelBaseUrl}; returns once every span has been
     * exported (or the exporter gave up), leaving no global OpenTelemetry state behind.
     */
    public static Result run(String traceStreamBaseUrl, String fakeModelBaseUrl) {
        long started = System.nanoTime();
        SpanRecorder recorder = new SpanRecorder();
        ExecutorService exportThreads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "otlp-export");
            thread.setDaemon(true);
            return thread;
        });
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(
                        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME))))
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                        .setEndpoint(strip(traceStreamBaseUrl) + "/v1/traces")
                        .setExecutorService(exportThreads)
                        .build()))
                .addSpanProcessor(recorder)
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        Tracing.setTracerForTesting(sdk.getTracer("gcp.vertex.agent"));
        // The Gemini API client on the fake model; closed at the end, as its HTTP threads are no daemons.
        try (Client client = Client.builder()
                .apiKey("fake-key")
                .vertexAI(false)
                .httpOptions(HttpOptions.builder().baseUrl(strip(fakeModelBaseUrl)).build())
                .build()) {
            LlmAgent root = agents(Gemini.builder().modelName(MODEL).apiClient(client).build());
            InMemoryRunner runner = new InMemoryRunner(root, APP_NAME);
            Session session = runner.sessionService().createSession(APP_NAME, USER_ID).blockingGet();
            Content message = Content.fromParts(Part.fromText("Plan my trip to Paris for two nights, please."));
            List<Event> events = new ArrayList<>();
            runner.runAsync(USER_ID, session.id(), message).blockingForEach(events::add);
            boolean leaked = Span.current().getSpanContext().isValid();
            tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
            return result(root.name(), events, recorder, session.id(), leaked, System.nanoTime() - started);
        } finally {
            tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
            exportThreads.shutdown();
            Tracing.setTracerForTesting(OpenTelemetry.noop().getTracer("gcp.vertex.agent"));
            GlobalOpenTelemetry.resetForTest();
        }
    }

    private static Result result(String rootAgent, List<Event> events, SpanRecorder recorder, String sessionId,
            boolean leaked, long nanos) {
        Set<String> agents = new LinkedHashSet<>();
        List<List<String>> handoffs = new ArrayList<>();
        Set<String> tools = new LinkedHashSet<>();
        int toolCalls = 0;
        String failingTool = null;
        String failingAgent = null;
        Map<String, Object> failingResponse = null;
        int modelCalls = 0;
        long inputTokens = 0;
        long outputTokens = 0;
        String finalAnswer = null;
        for (Event event : events) {
            if (!"user".equals(event.author())) {
                agents.add(event.author());
            }
            if (event.usageMetadata().isPresent()) {
                modelCalls++;
                inputTokens += event.usageMetadata().get().promptTokenCount().orElse(0);
                outputTokens += event.usageMetadata().get().candidatesTokenCount().orElse(0);
            }
            for (FunctionCall call : event.functionCalls()) {
                toolCalls++;
                call.name().filter(name -> !name.equals(HANDOFF_TOOL)).ifPresent(tools::add);
            }
            event.actions().transferToAgent().ifPresent(to -> handoffs.add(List.of(event.author(), to)));
            for (FunctionResponse response : event.functionResponses()) {
                Map<String, Object> body = response.response().orElse(Map.of());
                if ("error".equals(body.get("status"))) {
                    failingTool = response.name().orElse(null);
                    failingAgent = event.author();
                    failingResponse = new LinkedHashMap<>(body);
                }
            }
            if (event.finalResponse() && event.content().isPresent()) {
                finalAnswer = event.stringifyContent();
            }
        }
        if (recorder.traceIds.size() != 1) {
            throw new IllegalStateException("expected the run's spans in one trace, ADK made " + recorder.traceIds);
        }
        return new Result(recorder.traceIds.iterator().next(), recorder.rootSpan, List.copyOf(agents), rootAgent,
                handoffs, List.copyOf(tools), toolCalls, failingTool, failingAgent, failingResponse, modelCalls,
                inputTokens, outputTokens, finalAnswer, sessionId, List.copyOf(recorder.names), leaked,
                TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Records the trace ids and names of the ended spans (in the order they ended); exports nothing. */
    private static final class SpanRecorder implements SpanProcessor {
        final Set<String> traceIds = Collections.synchronizedSet(new LinkedHashSet<>());
        final List<String> names = Collections.synchronizedList(new ArrayList<>());
        volatile String rootSpan;

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            traceIds.add(span.getSpanContext().getTraceId());
            names.add(span.getName());
            if (!span.getParentSpanContext().isValid()) {
                rootSpan = span.getName();
            }
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: AdkWorkflow <trace-stream-base-url> <fake-model-base-url>");
            System.exit(2);
        }
        System.out.println(run(args[0], args[1]).toJson());
    }
}
