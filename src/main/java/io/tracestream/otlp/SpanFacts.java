package io.tracestream.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.math.BigDecimal;

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
    // AG2 and hand-offs
    private String ag2SpanType;
    private String fromAgent;
    private String toAgent;
    // Conversations
    private String conversationId;
    private String sessionId;

    private final String name;
    /** The span name's first word ({@code invoke_agent} in {@code invoke_agent researcher}). */
    private final String nameVerb;
    /** What follows the first word, or {@code null}. */
    private final String nameObject;

    private SpanRole role;
    private boolean workflow;

    private SpanFacts(String name) {
        this.name = name;
        int space = name.indexOf(' ');
        this.nameVerb = space < 0 ? name : name.substring(0, space);
        String rest = space < 0 ? "" : name.substring(space + 1).trim();
        this.nameObject = rest.isEmpty() ? null : rest;
    }

    static SpanFacts of(Span span) {
        SpanFacts f = new SpanFacts(span.getName());
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
            named = first(named, nameVerbIs("invoke_agent", "create_agent", "conversation") ? nameObject : null, genAiAgentId);
            // An OpenInference AGENT span without agent.name is named after its agent (LangGraph nodes, CrewAI agents).
            return named != null ? named : "AGENT".equals(oiKind) ? name : null;
        }
        if (role == SpanRole.HANDOFF) {
            return fromAgent;
        }
        return first(named, genAiAgentId);
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
        return first(provider, system, oiProvider, oiSystem, aiModelProvider);
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
        return first(genAiToolCallId, oiToolCallId, aiToolCallId);
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
