package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.TraceEvent.EventError;
import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one span says about itself in the three conventions Trace Stream recognises: the
 * OpenTelemetry GenAI conventions, OpenInference and the Vercel AI SDK (plus AG2's handoff), read
 * in a single pass over its attributes ({@code switch} on the key: one hash per attribute, no
 * regular expression, no map built), then by its name.
 *
 * <p>Attributes first, span names second: the GenAI operation name, OpenInference's span kind and
 * the AI SDK's operation id decide the {@link SpanRole}; only when none of them is known does the
 * span name ({@code invoke_agent X}, {@code execute_tool X}, {@code chat gpt-4o}, ...) decide.
 * Where conventions overlap, the GenAI attribute wins, then OpenInference, then the AI SDK's.
 */
final class SpanFacts {

    /** The {@code plumbing} of a framework's own steps, by framework. */
    static final String LANGGRAPH = "langgraph";
    static final String LANGCHAIN = "langchain";
    static final String OPENAI_AGENTS = "openai-agents";
    static final String MASTRA = "mastra";
    /** A piece of a model's answer (Mastra's {@code model_chunk}): folded into the model call. */
    static final String MODEL_CHUNK = "model_chunk";

    private static final String AGENTS_SDK_SCOPE = "@arizeai/openinference-instrumentation-openai-agents";
    private static final String ADK_SCOPE = "gcp.vertex.agent";
    /** The line ADK puts into every model request: {@code You are an agent. Your internal name is "weather_agent".} */
    private static final Pattern ADK_AGENT_NAME = Pattern.compile("Your internal name is \\\\?\"([^\"\\\\]+)\\\\?\"");
    private static final String AGENTS_SDK_HANDOFF_TOOL = "handoff_to_";
    private static final String AGENTS_SDK_HANDOFF_SPAN = "handoff to ";

    // GenAI
    private String operation;
    private String genAiAgentName;
    private String genAiAgentId;
    private String responseModel;
    private String requestModel;
    private String provider;
    private String system;
    private Long inputTokens;
    private Long promptTokens;
    private Long outputTokens;
    private Long completionTokens;
    private Long genAiCacheRead;
    private BigDecimal ag2Cost;
    private String genAiToolName;
    private String genAiToolCallId;
    private String genAiToolCallIdOld;
    private String workflowName;
    private String errorType;
    // OpenInference
    private String oiKind;
    private String oiAgentName;
    private String oiModel;
    private String oiEmbeddingModel;
    private String oiProvider;
    private String oiSystem;
    private Long oiPromptTokens;
    private Long oiCompletionTokens;
    private Long oiCacheRead;
    private BigDecimal oiCost;
    private String oiToolName;
    private String oiToolCallId;
    // Vercel AI SDK
    private String aiOperationId;
    private String functionId;
    private String aiModelId;
    private String aiModelProvider;
    private String aiResponseModel;
    private Long aiInputTokens;
    private Long aiOutputTokens;
    private Long aiCachedInputTokens;
    private String aiToolName;
    private String aiToolCallId;
    private String oiInputValue;
    private String oiOutputValue;
    /** LangChain's run metadata (JSON text), as OpenInference's LangChain instrumentation records it. */
    private String langChainMetadata;
    /** The OpenAI Agents bridge: the agent, and the agent that handed the work to it. */
    private String graphNodeId;
    private String graphNodeParentId;
    // Google ADK
    private String adkToolArgs;
    private String adkToolResponse;
    private String adkLlmRequest;
    // Mastra
    private String mastraSpanType;
    private String mastraRunId;
    // AG2 and hand-offs
    private String ag2SpanType;
    private String fromAgent;
    private String toAgent;
    // Conversations
    private String conversationId;
    private String sessionId;
    // Pydantic Logfire's pending span (see PendingSpan)
    private String spanType;
    private String pendingParentId;

    private final String name;
    /** The instrumentation scope that made the span. */
    private final String scope;
    /** The span name's first word ({@code invoke_agent} in {@code invoke_agent researcher}). */
    private final String nameVerb;
    /** What follows the first word, or {@code null}. */
    private final String nameObject;

    private SpanRole role;
    private boolean workflow;
    /** The framework whose own step this is (folded into the work around it), or {@code null}. */
    private String plumbing;
    /** The agent a framework's conventions name for the span (LangGraph's node, Mastra's span names). */
    private String frameworkAgent;
    /** The agent that handed this agent its work, as the span says (the OpenAI Agents bridge). */
    private String handedOverBy;
    /** Where the span hands the run on when it ends (a LangGraph node returning a {@code Command}). */
    private String handsOverTo;
    private String frameworkProvider;
    /** A failure the tool's result reports while the span's status does not (Google ADK). */
    private EventError resultError;

    private SpanFacts(String name, String scope) {
        this.name = name;
        this.scope = scope;
        int space = name.indexOf(' ');
        this.nameVerb = space < 0 ? name : name.substring(0, space);
        String rest = space < 0 ? "" : name.substring(space + 1).trim();
        this.nameObject = rest.isEmpty() ? null : rest;
    }

    static SpanFacts of(Span span) {
        return of(span, "");
    }

    /** @param scope the name of the instrumentation scope the span came in */
    static SpanFacts of(Span span, String scope) {
        SpanFacts f = new SpanFacts(span.getName(), scope);
        for (KeyValue kv : span.getAttributesList()) {
            f.read(kv.getKey(), kv.getValue());
        }
        f.classify();
        return f;
    }

    private void read(String key, AnyValue v) {
        switch (key) {
            case "gen_ai.operation.name" -> operation = AttributeValues.text(v);
            case "gen_ai.agent.name" -> genAiAgentName = nonBlank(v);
            case "gen_ai.agent.id" -> genAiAgentId = nonBlank(v);
            case "gen_ai.response.model" -> responseModel = nonBlank(v);
            case "gen_ai.request.model" -> requestModel = nonBlank(v);
            case "gen_ai.provider.name" -> provider = nonBlank(v);
            case "gen_ai.system" -> system = nonBlank(v);
            case "gen_ai.usage.input_tokens" -> inputTokens = AttributeValues.count(v);
            case "gen_ai.usage.prompt_tokens" -> promptTokens = AttributeValues.count(v);
            case "gen_ai.usage.output_tokens" -> outputTokens = AttributeValues.count(v);
            case "gen_ai.usage.completion_tokens" -> completionTokens = AttributeValues.count(v);
            case "gen_ai.usage.cache_read.input_tokens" -> genAiCacheRead = AttributeValues.count(v);
            case "gen_ai.usage.cost" -> ag2Cost = AttributeValues.amount(v);
            case "gen_ai.tool.name" -> genAiToolName = nonBlank(v);
            case "gen_ai.tool.call.id" -> genAiToolCallId = nonBlank(v);
            // The key's older spelling, which Google ADK still sends (with "<not specified>" for none).
            case "gen_ai.tool_call.id" -> genAiToolCallIdOld = nonBlank(v);
            case "gen_ai.workflow.name" -> workflowName = nonBlank(v);
            case "gen_ai.conversation.id" -> conversationId = nonBlank(v);
            case "error.type" -> errorType = nonBlank(v);
            case "openinference.span.kind" -> oiKind = AttributeValues.text(v);
            case "agent.name" -> oiAgentName = nonBlank(v);
            case "llm.model_name" -> oiModel = nonBlank(v);
            case "embedding.model_name" -> oiEmbeddingModel = nonBlank(v);
            case "llm.provider" -> oiProvider = nonBlank(v);
            case "llm.system" -> oiSystem = nonBlank(v);
            case "llm.token_count.prompt" -> oiPromptTokens = AttributeValues.count(v);
            case "llm.token_count.completion" -> oiCompletionTokens = AttributeValues.count(v);
            case "llm.token_count.prompt_details.cache_read" -> oiCacheRead = AttributeValues.count(v);
            case "llm.cost.total" -> oiCost = AttributeValues.amount(v);
            case "tool.name" -> oiToolName = nonBlank(v);
            case "tool_call.id" -> oiToolCallId = nonBlank(v);
            case "input.value" -> oiInputValue = AttributeValues.text(v);
            case "output.value" -> oiOutputValue = AttributeValues.text(v);
            case "metadata" -> langChainMetadata = AttributeValues.text(v);
            case "graph.node.id" -> graphNodeId = nonBlank(v);
            case "graph.node.parent_id" -> graphNodeParentId = nonBlank(v);
            case "mastra.span.type" -> mastraSpanType = AttributeValues.text(v);
            case "gcp.vertex.agent.tool_call_args" -> adkToolArgs = AttributeValues.text(v);
            case "gcp.vertex.agent.tool_response" -> adkToolResponse = AttributeValues.text(v);
            case "gcp.vertex.agent.llm_request" -> adkLlmRequest = AttributeValues.text(v);
            case "mastra.metadata.runId" -> mastraRunId = nonBlank(v);
            case "session.id" -> sessionId = nonBlank(v);
            case "ai.operationId" -> aiOperationId = AttributeValues.text(v);
            case "ai.telemetry.functionId" -> functionId = nonBlank(v);
            case "ai.model.id" -> aiModelId = nonBlank(v);
            case "ai.model.provider" -> aiModelProvider = nonBlank(v);
            case "ai.response.model" -> aiResponseModel = nonBlank(v);
            case "ai.usage.inputTokens", "ai.usage.promptTokens" -> aiInputTokens = AttributeValues.count(v);
            case "ai.usage.outputTokens", "ai.usage.completionTokens" -> aiOutputTokens = AttributeValues.count(v);
            case "ai.usage.cachedInputTokens" -> aiCachedInputTokens = AttributeValues.count(v);
            case "ai.toolCall.name" -> aiToolName = nonBlank(v);
            case "ai.toolCall.id" -> aiToolCallId = nonBlank(v);
            case "ag2.span.type" -> ag2SpanType = AttributeValues.text(v);
            case "from_agent" -> fromAgent = nonBlank(v);
            case "to_agent" -> toAgent = nonBlank(v);
            case PendingSpan.SPAN_TYPE -> spanType = AttributeValues.text(v);
            case PendingSpan.REAL_PARENT -> pendingParentId = AttributeValues.text(v);
            default -> { }
        }
    }

    private static String nonBlank(AnyValue v) {
        String s = AttributeValues.text(v);
        return s == null || s.isBlank() ? null : s;
    }

    private void classify() {
        if ("handoff".equals(ag2SpanType) || "handoff".equals(operation) || "ag2.handoff".equals(name)) {
            role = handOffTarget() != null ? SpanRole.HANDOFF : SpanRole.STEP;
            return;
        }
        role = operation == null ? null : byOperation(operation);
        if (role == null && oiKind != null) {
            role = byOpenInferenceKind(oiKind);
        }
        if (role == null && aiOperationId != null) {
            role = byAiOperation(aiOperationId);
        }
        if (role == null) {
            role = byName();
        }
        if (role == null) {
            role = SpanRole.STEP;
        }
        if (oiKind != null) {
            openInferenceFrameworks();
        }
        if (mastraSpanType != null) {
            mastra();
        }
        if (ADK_SCOPE.equals(scope)) {
            adk();
        }
    }

    /**
     * Google ADK: its hand-off is the tool {@code transfer_to_agent}, whose arguments name the agent
     * that takes over; a tool that threw is answered to the model as {@code {"status": "error", ...}}
     * in {@code gcp.vertex.agent.tool_response}, with the span's status left unset; a model call names
     * its agent only in the request ADK built, which tells the model its internal name.
     */
    private void adk() {
        if (role == SpanRole.TOOL && "transfer_to_agent".equals(genAiToolName)) {
            String to = JsonText.object(adkToolArgs).map(args -> JsonText.string(args, "agent_name")).orElse(null);
            if (to != null) {
                role = SpanRole.HANDOFF;
                toAgent = to;
            }
        } else if (role == SpanRole.TOOL) {
            JsonText.object(adkToolResponse).filter(r -> "error".equals(JsonText.string(r, "status")))
                    .ifPresent(r -> resultError = new EventError(null, first(JsonText.string(r, "message"),
                            JsonText.string(r, "error_message"), "the tool answered status error")));
        } else if (role == SpanRole.MODEL && adkLlmRequest != null) {
            Matcher named = ADK_AGENT_NAME.matcher(adkLlmRequest);
            if (named.find()) {
                frameworkAgent = named.group(1);
            }
        }
    }

    /** What the frameworks instrumented by OpenInference say beyond the span kind. */
    private void openInferenceFrameworks() {
        if (role == SpanRole.TOOL && isAgentsSdkHandOff()) {
            role = SpanRole.HANDOFF;
            fromAgent = JsonText.object(oiInputValue).map(in -> JsonText.string(in, "from_agent")).orElse(null);
            toAgent = JsonText.object(oiOutputValue).map(out -> JsonText.string(out, "to_agent"))
                    .orElseGet(() -> oiToolName != null && oiToolName.startsWith(AGENTS_SDK_HANDOFF_TOOL)
                            ? oiToolName.substring(AGENTS_SDK_HANDOFF_TOOL.length()) : name.substring(AGENTS_SDK_HANDOFF_SPAN.length()));
        }
        if (AGENTS_SDK_SCOPE.equals(scope)) {
            openAiAgents();
        }
        LangGraphRun.of(langChainMetadata).ifPresentOrElse(this::langGraph, () -> {
            if (langChainMetadata != null && "CHAIN".equals(oiKind) && isLangChainPlumbing(name)) {
                plumbing = LANGCHAIN;
            }
        });
    }

    /**
     * The OpenAI Agents SDK through OpenInference's bridge: the run itself is an {@code AGENT} span
     * without {@code graph.node.id} (the workflow, not an agent); an agent that got its work by a
     * hand-off names the one that handed off in {@code graph.node.parent_id}; the SDK's task span
     * and its {@code turn} spans are plumbing.
     */
    private void openAiAgents() {
        if (role == SpanRole.AGENT && graphNodeId == null) {
            role = SpanRole.STEP;
        } else if (role == SpanRole.AGENT && graphNodeParentId != null && !graphNodeParentId.equals(graphNodeId)) {
            handedOverBy = graphNodeParentId;
        } else if ("CHAIN".equals(oiKind) && (name.equals("turn") || (oiInputValue == null && oiOutputValue == null))) {
            plumbing = OPENAI_AGENTS;
        }
    }

    private void langGraph(LangGraphRun run) {
        frameworkAgent = run.agent();
        frameworkProvider = run.provider();
        if (run.isAgentNode(name) && "CHAIN".equals(oiKind)) {
            role = SpanRole.AGENT;
        } else if ("CHAIN".equals(oiKind) && !run.isRoot()) {
            plumbing = LANGGRAPH;
        }
        String next = LangGraphRun.commandGoto(oiOutputValue);
        if (next != null && frameworkAgent != null && !next.equals(frameworkAgent)) {
            if (role == SpanRole.TOOL) {
                role = SpanRole.HANDOFF; // the hand-off tool LangGraph's multi-agent docs give
                fromAgent = frameworkAgent;
                toAgent = next;
            } else if (role == SpanRole.AGENT) {
                handsOverTo = next; // a node that returns a Command hands on as it ends
            }
        }
    }

    /**
     * Mastra's exporter: its agent loop's own spans ({@code model_generation}, each turn's
     * {@code agent_step}, the {@code mapping} of a sub-agent's answer) are plumbing, and each piece of
     * a model's answer ({@code model_chunk}) folds into its model call; turns and chunks are named after
     * their agent; every span of one agent's run shares {@code mastra.metadata.runId}.
     */
    private void mastra() {
        switch (mastraSpanType) {
            case "model_chunk" -> {
                plumbing = MODEL_CHUNK;
                frameworkAgent = nameObject;
            }
            case "model_step" -> {
                plumbing = MASTRA;
                frameworkAgent = nameObject;
            }
            case "model_generation", "mapping" -> plumbing = MASTRA;
            default -> { }
        }
    }

    private boolean isAgentsSdkHandOff() {
        return (oiToolName != null && oiToolName.startsWith(AGENTS_SDK_HANDOFF_TOOL)) || name.startsWith(AGENTS_SDK_HANDOFF_SPAN);
    }

    /** LangChain's runnables that only wire a chain together. */
    private static boolean isLangChainPlumbing(String name) {
        return name.startsWith("Runnable") || name.equals("prompt") || name.endsWith("PromptTemplate")
                || name.endsWith("OutputParser");
    }

    private SpanRole byOperation(String op) {
        return switch (op) {
            // AG2's "conversation" is an agent starting a chat with others: its initiator at work.
            case "invoke_agent", "create_agent", "conversation" -> SpanRole.AGENT;
            case "chat", "text_completion", "generate_content", "embeddings" -> SpanRole.MODEL;
            case "execute_tool" -> SpanRole.TOOL;
            case "invoke_workflow" -> {
                workflow = true;
                yield SpanRole.STEP;
            }
            // Known to be no agent, model or tool call: steps.
            case "plan", "retrieval", "speaker_selection" -> SpanRole.STEP;
            // An operation this version does not know: the other conventions and the name decide.
            default -> null;
        };
    }

    private static SpanRole byOpenInferenceKind(String kind) {
        return switch (kind) {
            case "AGENT" -> SpanRole.AGENT;
            case "LLM", "EMBEDDING" -> SpanRole.MODEL;
            case "TOOL" -> SpanRole.TOOL;
            default -> SpanRole.STEP;
        };
    }

    private SpanRole byAiOperation(String op) {
        return switch (op) {
            case "ai.generateText.doGenerate", "ai.streamText.doStream", "ai.generateObject.doGenerate",
                 "ai.streamObject.doStream", "ai.embed.doEmbed", "ai.embedMany.doEmbed" -> SpanRole.MODEL;
            case "ai.toolCall" -> SpanRole.TOOL;
            // The call an application makes, named by its functionId: the AI SDK's agent.
            case "ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject" ->
                    functionId != null ? SpanRole.AGENT : SpanRole.STEP;
            default -> op.startsWith("ai.") ? SpanRole.STEP : null;
        };
    }

    private SpanRole byName() {
        return switch (nameVerb) {
            case "invoke_agent", "create_agent" -> SpanRole.AGENT;
            case "execute_tool" -> SpanRole.TOOL;
            // call_llm: Google ADK's model span.
            case "chat", "text_completion", "generate_content", "embeddings", "call_llm" -> SpanRole.MODEL;
            case "invoke_workflow" -> {
                workflow = true;
                yield SpanRole.STEP;
            }
            default -> nameVerb.startsWith("ai.") ? byAiOperation(nameVerb) : null;
        };
    }

    SpanRole role() {
        return role;
    }

    /** True for an {@code invoke_workflow} span, which starts and ends a workflow wherever it is. */
    boolean isWorkflow() {
        return workflow;
    }

    String name() {
        return name;
    }

    /**
     * The agent this span names as its own, or {@code null}: an agent span's agent, or the agent
     * a model, tool or other span says it runs for.
     */
    String agent() {
        String named = first(genAiAgentName, oiAgentName, functionId);
        if (role == SpanRole.AGENT) {
            named = first(named, frameworkAgent, nameVerbIs("invoke_agent", "create_agent", "conversation") ? nameObject : null,
                    genAiAgentId);
            // An OpenInference AGENT span without agent.name is named after its agent (CrewAI agents, the OpenAI Agents SDK's).
            return named != null ? named : "AGENT".equals(oiKind) ? name : null;
        }
        if (role == SpanRole.HANDOFF) {
            return first(fromAgent, frameworkAgent);
        }
        return first(named, genAiAgentId, frameworkAgent);
    }

    /** The receiving agent of a hand-off. */
    String handOffTarget() {
        return first(toAgent, genAiAgentName, oiAgentName);
    }

    String model() {
        return first(responseModel, requestModel, oiModel, oiEmbeddingModel, aiResponseModel, aiModelId,
                role == SpanRole.MODEL && nameVerbIs("chat", "text_completion", "generate_content", "embeddings") ? nameObject : null);
    }

    String provider() {
        // ADK writes its own name as gen_ai.system: no model provider.
        return first(provider, ADK_SCOPE.equals(system) ? null : system, oiProvider, oiSystem, aiModelProvider,
                frameworkProvider);
    }

    /** The framework whose own step this is, to fold into the work around it; {@code null} for real work. */
    String plumbing() {
        return plumbing;
    }

    /** The agent that handed this agent span its work, when the span says; else {@code null}. */
    String handedOverBy() {
        return handedOverBy;
    }

    /** The agent this span hands the run to as it ends (a LangGraph {@code Command}), or {@code null}. */
    String handsOverTo() {
        return handsOverTo;
    }

    /** What groups the spans of one agent's run when they do not all name the agent (Mastra's run id), or {@code null}. */
    String agentRun() {
        return mastraRunId;
    }

    Long inputTokens() {
        return first(inputTokens, promptTokens, oiPromptTokens, aiInputTokens);
    }

    Long outputTokens() {
        return first(outputTokens, completionTokens, oiCompletionTokens, aiOutputTokens);
    }

    /** Cached input tokens read, which are part of {@link #inputTokens()} in every convention. */
    Long cacheReadInputTokens() {
        return first(genAiCacheRead, oiCacheRead, aiCachedInputTokens);
    }

    BigDecimal cost() {
        return first(ag2Cost, oiCost);
    }

    String tool() {
        return first(genAiToolName, oiToolName, aiToolName, nameVerbIs("execute_tool") ? nameObject : null);
    }

    String toolCallId() {
        return first(genAiToolCallId, oiToolCallId, aiToolCallId,
                "<not specified>".equals(genAiToolCallIdOld) ? null : genAiToolCallIdOld);
    }

    /** The failure a tool's result reports though the span's status does not, or {@code null}. */
    EventError resultError() {
        return resultError;
    }

    String workflowName() {
        return first(workflowName, nameVerbIs("invoke_workflow") ? nameObject : null);
    }

    String errorType() {
        return errorType;
    }

    String conversationId() {
        return conversationId;
    }

    String sessionId() {
        return sessionId;
    }

    /** True when the span is a {@link PendingSpan}: the copy of a span still running, sent as it started. */
    boolean isPendingCopy() {
        return PendingSpan.PENDING.equals(spanType);
    }

    /** A pending span's {@value PendingSpan#REAL_PARENT} as sent, or {@code null}. */
    String pendingParentId() {
        return pendingParentId;
    }

    private boolean nameVerbIs(String... verbs) {
        for (String verb : verbs) {
            if (verb.equals(nameVerb)) {
                return true;
            }
        }
        return false;
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
