package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.content.ContentDocument;
import io.tracestream.domain.content.MessageJson;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * What a span said, in the one shape Trace Stream keeps ({@link ContentDocument}: the OpenTelemetry
 * GenAI message schema), whichever convention the producer wrote it in:
 * <ol>
 * <li>the GenAI conventions: {@code gen_ai.input.messages}, {@code gen_ai.output.messages},
 * {@code gen_ai.system_instructions}, {@code gen_ai.tool.definitions} as span attributes or as
 * attributes of the {@code gen_ai.client.inference.operation.details} event, and a tool span's
 * {@code gen_ai.tool.call.arguments} and {@code gen_ai.tool.call.result};</li>
 * <li>OpenInference: {@code llm.input_messages.*}, {@code llm.output_messages.*},
 * {@code llm.tools.*}, and {@code input.value} / {@code output.value};</li>
 * <li>the Vercel AI SDK: {@code ai.prompt}, {@code ai.prompt.messages}, {@code ai.prompt.tools},
 * {@code ai.response.*}, {@code ai.toolCall.*};</li>
 * <li>the older GenAI conventions: indexed {@code gen_ai.prompt.<i>.*} and
 * {@code gen_ai.completion.<i>.*}, the JSON {@code gen_ai.prompt} / {@code gen_ai.completion}, and the
 * per-message events ({@code gen_ai.user.message}, {@code gen_ai.choice}, ...).</li>
 * </ol>
 * When a span carries several, the input comes from the first of them (in that order, the GenAI
 * event right after the GenAI attributes) that has any, and the output, the system instructions,
 * the tool definitions and a tool call's arguments and result each the same way, independently.
 *
 * <p>Every message is re-built through the builders ({@link MessageJson}, {@link FlatMessages}), so
 * the same conversation gives the same document in every convention, a producer's extra members
 * are not carried, and images and files are named placeholders without their bytes. What a
 * producer wrote wrong is never an error: input messages that are not JSON become one user message
 * holding the text, a bad piece is skipped.
 *
 * <p>Choices where conventions differ, made to match what GenAI producers do:
 * <ul>
 * <li>a system message in a conversation (OpenInference, an AI SDK {@code role: system} message,
 * older GenAI) stays a message of role {@code system} in {@code input}; only what a convention
 * gives apart from the messages ({@code gen_ai.system_instructions}, the AI SDK {@code ai.prompt}'s
 * top-level {@code system}) is {@code system_instructions};</li>
 * <li>OpenInference's {@code input.value} / {@code output.value}: on a TOOL span the call's
 * arguments and result ({@code text/plain} as a string, anything else as
 * {@link ContentDocument#jsonOrText}; {@code tool.parameters} stands in for missing arguments, and
 * is the tool's definition when there are arguments); on any other span a user message and an
 * assistant message of one text part each, used on an LLM span only when it has no
 * {@code llm.input_messages} / {@code llm.output_messages}.</li>
 * </ul>
 *
 * <p>Content is moved, not copied: {@link #isContent} names the attribute keys the event should
 * drop, since the document holds what they said. Read in one pass, as {@link SpanFacts} is: one
 * {@code switch} on each key (and a prefix test for the numbered ones); a span that says nothing
 * builds nothing.
 */
final class SpanContent {

    static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";

    // GenAI
    private static final String GEN_AI_INPUT = "gen_ai.input.messages";
    private static final String GEN_AI_OUTPUT = "gen_ai.output.messages";
    private static final String GEN_AI_SYSTEM = "gen_ai.system_instructions";
    private static final String GEN_AI_TOOLS = "gen_ai.tool.definitions";
    private static final String GEN_AI_TOOL_ARGUMENTS = "gen_ai.tool.call.arguments";
    private static final String GEN_AI_TOOL_RESULT = "gen_ai.tool.call.result";
    // OpenInference
    private static final String OI_INPUT_MESSAGES = "llm.input_messages.";
    private static final String OI_OUTPUT_MESSAGES = "llm.output_messages.";
    private static final String OI_TOOLS = "llm.tools.";
    private static final String OI_INPUT_VALUE = "input.value";
    private static final String OI_OUTPUT_VALUE = "output.value";
    private static final String OI_INPUT_MIME = "input.mime_type";
    private static final String OI_OUTPUT_MIME = "output.mime_type";
    private static final String OI_TOOL_PARAMETERS = "tool.parameters";
    // Vercel AI SDK
    private static final String AI_PROMPT = "ai.prompt";
    private static final String AI_PROMPT_MESSAGES = "ai.prompt.messages";
    private static final String AI_PROMPT_TOOLS = "ai.prompt.tools";
    private static final String AI_RESPONSE_TEXT = "ai.response.text";
    private static final String AI_RESPONSE_OBJECT = "ai.response.object";
    private static final String AI_RESPONSE_TOOL_CALLS = "ai.response.toolCalls";
    private static final String AI_RESPONSE_FINISH = "ai.response.finishReason";
    private static final String AI_TOOL_ARGS = "ai.toolCall.args";
    private static final String AI_TOOL_INPUT = "ai.toolCall.input";
    private static final String AI_TOOL_RESULT = "ai.toolCall.result";
    private static final String AI_TOOL_OUTPUT = "ai.toolCall.output";
    // Older GenAI
    private static final String OLD_PROMPT = "gen_ai.prompt";
    private static final String OLD_COMPLETION = "gen_ai.completion";
    private static final String OLD_PROMPT_INDEXED = "gen_ai.prompt.";
    private static final String OLD_COMPLETION_INDEXED = "gen_ai.completion.";

    private static final String USER = "user";
    private static final String ASSISTANT = "assistant";

    /** What every span without content answers: nothing is built for it. */
    private static final SpanContent NONE = new SpanContent();

    private boolean any;
    // GenAI, as span attributes and as the details event's
    private String genAiInput;
    private String genAiOutput;
    private String genAiSystem;
    private String genAiTools;
    private String detailsInput;
    private String detailsOutput;
    private String detailsSystem;
    private String detailsTools;
    private String genAiToolArguments;
    private String genAiToolResult;
    private String genAiToolName;
    // OpenInference
    private String oiKind;
    private FlatMessages oiInput;
    private FlatMessages oiOutput;
    private TreeMap<Integer, String> oiTools;
    private String inputValue;
    private String outputValue;
    private String inputMime;
    private String outputMime;
    private String toolParameters;
    private String oiToolName;
    // Vercel AI SDK
    private String aiPrompt;
    private String aiPromptMessages;
    private AnyValue aiPromptTools;
    private String aiResponseText;
    private String aiResponseObject;
    private String aiResponseToolCalls;
    private String aiFinishReason;
    private String aiToolArguments;
    private String aiToolResult;
    private String aiToolName;
    // Older GenAI
    private FlatMessages oldPrompt;
    private FlatMessages oldCompletion;
    private String oldPromptJson;
    private String oldCompletionJson;
    private List<Span.Event> oldEvents;

    private JsonObject document;

    private SpanContent() {}

    /** The span's content, in one pass over its attributes and events. */
    static SpanContent of(Span span) {
        SpanContent c = new SpanContent();
        for (KeyValue kv : span.getAttributesList()) {
            c.read(kv.getKey(), kv.getValue());
        }
        for (Span.Event event : span.getEventsList()) {
            c.read(event);
        }
        if (!c.any) {
            return NONE;
        }
        c.document = c.build();
        return c.document == null ? NONE : c;
    }

    /** The GenAI-shaped document, or {@code null} when the span carries no content. */
    JsonObject document() {
        return document;
    }

    /**
     * True for an attribute key whose value is content, and so is moved into the document rather
     * than kept among the event's attributes. That is every key of the conventions above, also a
     * lower-ranked convention's when a higher one gave the document (it says the same conversation
     * again, and kept as an attribute it would store the prompt twice); never when the span has no
     * document. Names, models and token counts are not content.
     */
    boolean isContent(String attributeKey) {
        return document != null && contentKey(attributeKey);
    }

    private static boolean contentKey(String key) {
        return switch (key) {
            case GEN_AI_INPUT, GEN_AI_OUTPUT, GEN_AI_SYSTEM, GEN_AI_TOOLS, GEN_AI_TOOL_ARGUMENTS, GEN_AI_TOOL_RESULT,
                    OI_INPUT_VALUE, OI_OUTPUT_VALUE, OI_INPUT_MIME, OI_OUTPUT_MIME, OI_TOOL_PARAMETERS,
                    AI_PROMPT, AI_PROMPT_MESSAGES, AI_PROMPT_TOOLS, AI_RESPONSE_TEXT, AI_RESPONSE_OBJECT,
                    AI_RESPONSE_TOOL_CALLS, AI_RESPONSE_FINISH, AI_TOOL_ARGS, AI_TOOL_INPUT, AI_TOOL_RESULT, AI_TOOL_OUTPUT,
                    OLD_PROMPT, OLD_COMPLETION -> true;
            default -> key.startsWith("llm.")
                    ? key.startsWith(OI_INPUT_MESSAGES) || key.startsWith(OI_OUTPUT_MESSAGES) || key.startsWith(OI_TOOLS)
                    : key.startsWith("gen_ai.") && (key.startsWith(OLD_PROMPT_INDEXED) || key.startsWith(OLD_COMPLETION_INDEXED));
        };
    }

    private void read(String key, AnyValue v) {
        switch (key) {
            // Not content: what says how to read it, or names a tool call.
            case "openinference.span.kind" -> oiKind = AttributeValues.text(v);
            case "gen_ai.tool.name" -> genAiToolName = AttributeValues.text(v);
            case "tool.name" -> oiToolName = AttributeValues.text(v);
            case "ai.toolCall.name" -> aiToolName = AttributeValues.text(v);
            // Content, but nothing said on its own: a span with only these has no document.
            case AI_RESPONSE_FINISH -> aiFinishReason = AttributeValues.text(v);
            case OI_INPUT_MIME -> inputMime = AttributeValues.text(v);
            case OI_OUTPUT_MIME -> outputMime = AttributeValues.text(v);
            // Content.
            case GEN_AI_INPUT -> genAiInput = found(v);
            case GEN_AI_OUTPUT -> genAiOutput = found(v);
            case GEN_AI_SYSTEM -> genAiSystem = found(v);
            case GEN_AI_TOOLS -> genAiTools = found(v);
            case GEN_AI_TOOL_ARGUMENTS -> genAiToolArguments = found(v);
            case GEN_AI_TOOL_RESULT -> genAiToolResult = found(v);
            case OI_INPUT_VALUE -> inputValue = found(v);
            case OI_OUTPUT_VALUE -> outputValue = found(v);
            case OI_TOOL_PARAMETERS -> toolParameters = found(v);
            case AI_PROMPT -> aiPrompt = found(v);
            case AI_PROMPT_MESSAGES -> aiPromptMessages = found(v);
            case AI_PROMPT_TOOLS -> {
                aiPromptTools = v;
                any = true;
            }
            case AI_RESPONSE_TEXT -> aiResponseText = found(v);
            case AI_RESPONSE_OBJECT -> aiResponseObject = found(v);
            case AI_RESPONSE_TOOL_CALLS -> aiResponseToolCalls = found(v);
            case AI_TOOL_ARGS, AI_TOOL_INPUT -> aiToolArguments = found(v);
            case AI_TOOL_RESULT, AI_TOOL_OUTPUT -> aiToolResult = found(v);
            case OLD_PROMPT -> oldPromptJson = found(v);
            case OLD_COMPLETION -> oldCompletionJson = found(v);
            default -> readNumbered(key, v);
        }
    }

    private void readNumbered(String key, AnyValue v) {
        if (key.startsWith("llm.")) {
            if (key.startsWith(OI_INPUT_MESSAGES)) {
                oiInput = oiInput != null ? oiInput : FlatMessages.openInference();
                oiInput.read(key.substring(OI_INPUT_MESSAGES.length()), v);
                any = true;
            } else if (key.startsWith(OI_OUTPUT_MESSAGES)) {
                oiOutput = oiOutput != null ? oiOutput : FlatMessages.openInference();
                oiOutput.read(key.substring(OI_OUTPUT_MESSAGES.length()), v);
                any = true;
            } else if (key.startsWith(OI_TOOLS) && key.endsWith(".tool.json_schema")) {
                String index = key.substring(OI_TOOLS.length(), key.length() - ".tool.json_schema".length());
                if (!index.isEmpty() && index.length() < 10 && index.chars().allMatch(Character::isDigit)) {
                    oiTools = oiTools != null ? oiTools : new TreeMap<>();
                    oiTools.put(Integer.parseInt(index), raw(v));
                    any = true;
                }
            }
        } else if (key.startsWith("gen_ai.")) {
            if (key.startsWith(OLD_PROMPT_INDEXED)) {
                oldPrompt = oldPrompt != null ? oldPrompt : FlatMessages.olderGenAi();
                oldPrompt.read(key.substring(OLD_PROMPT_INDEXED.length()), v);
                any = true;
            } else if (key.startsWith(OLD_COMPLETION_INDEXED)) {
                oldCompletion = oldCompletion != null ? oldCompletion : FlatMessages.olderGenAi();
                oldCompletion.read(key.substring(OLD_COMPLETION_INDEXED.length()), v);
                any = true;
            }
        }
    }

    private void read(Span.Event event) {
        switch (event.getName()) {
            case DETAILS_EVENT -> {
                for (KeyValue kv : event.getAttributesList()) {
                    switch (kv.getKey()) {
                        case GEN_AI_INPUT -> detailsInput = found(kv.getValue());
                        case GEN_AI_OUTPUT -> detailsOutput = found(kv.getValue());
                        case GEN_AI_SYSTEM -> detailsSystem = found(kv.getValue());
                        case GEN_AI_TOOLS -> detailsTools = found(kv.getValue());
                        default -> { }
                    }
                }
            }
            case "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message",
                    "gen_ai.choice", "gen_ai.content.prompt", "gen_ai.content.completion" -> {
                oldEvents = oldEvents != null ? oldEvents : new ArrayList<>();
                oldEvents.add(event);
                any = true;
            }
            default -> { }
        }
    }

    /** A content value as text, noting that the span has some. */
    private String found(AnyValue v) {
        String text = raw(v);
        any |= text != null;
        return text;
    }

    /**
     * A content value as text: a string as it is, an array or key-value list as its JSON (a
     * structured attribute is the JSON a string attribute would hold); bytes are not text.
     */
    static String raw(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case ARRAY_VALUE, KVLIST_VALUE -> AttributeValues.jsonText(v);
            default -> AttributeValues.text(v);
        };
    }

    // --- the document ---

    private JsonObject build() {
        ContentDocument doc = new ContentDocument();
        systemInstructions().forEach(doc::systemInstruction);
        input().forEach(doc::input);
        output().forEach(doc::output);
        JsonValue tools = toolDefinitions();
        if (tools != null) {
            doc.toolDefinitions(tools);
        }
        toolCall(doc);
        return doc.build();
    }

    private List<JsonObject> systemInstructions() {
        if (genAiSystem != null) {
            List<JsonObject> parts = MessageJson.genAiParts(genAiSystem);
            if (!parts.isEmpty()) {
                return parts;
            }
        }
        if (detailsSystem != null) {
            List<JsonObject> parts = MessageJson.genAiParts(detailsSystem);
            if (!parts.isEmpty()) {
                return parts;
            }
        }
        // The AI SDK's top-level system, unless its messages (which then hold it) are at hand.
        if (aiPromptMessages == null && MessageJson.parse(aiPrompt) instanceof JsonObject prompt
                && prompt.get("system") instanceof JsonString system && !system.getString().isEmpty()) {
            return List.of(ContentDocument.text(system.getString()));
        }
        return List.of();
    }

    private List<JsonObject> input() {
        List<JsonObject> messages = MessageJson.genAiMessages(genAiInput, USER);
        if (messages.isEmpty()) {
            messages = MessageJson.genAiMessages(detailsInput, USER);
        }
        if (messages.isEmpty()) {
            messages = openInference(oiInput, inputValue, USER);
        }
        if (messages.isEmpty()) {
            messages = aiSdkInput();
        }
        if (messages.isEmpty()) {
            messages = olderInput();
        }
        return messages;
    }

    private List<JsonObject> output() {
        List<JsonObject> messages = MessageJson.genAiMessages(genAiOutput, ASSISTANT);
        if (messages.isEmpty()) {
            messages = MessageJson.genAiMessages(detailsOutput, ASSISTANT);
        }
        if (messages.isEmpty()) {
            messages = openInference(oiOutput, outputValue, ASSISTANT);
        }
        if (messages.isEmpty()) {
            messages = aiSdkOutput();
        }
        if (messages.isEmpty()) {
            messages = olderOutput();
        }
        return messages;
    }

    private boolean isToolSpan() {
        return "TOOL".equals(oiKind);
    }

    /** OpenInference's messages, else (not on a tool span) its {@code input.value} / {@code output.value} as one message. */
    private List<JsonObject> openInference(FlatMessages messages, String value, String role) {
        if (messages != null && !messages.isEmpty()) {
            return messages.messages(role);
        }
        if (value != null && !value.isEmpty() && !isToolSpan()) {
            return List.of(ContentDocument.textMessage(role, value));
        }
        return List.of();
    }

    private List<JsonObject> aiSdkInput() {
        if (aiPromptMessages != null) {
            JsonValue json = MessageJson.parse(aiPromptMessages);
            return json instanceof JsonArray array ? MessageJson.aiSdkMessages(array)
                    : List.of(ContentDocument.textMessage(USER, aiPromptMessages));
        }
        if (aiPrompt == null) {
            return List.of();
        }
        JsonValue json = MessageJson.parse(aiPrompt);
        if (!(json instanceof JsonObject prompt)) {
            return aiPrompt.isEmpty() ? List.of() : List.of(ContentDocument.textMessage(USER, aiPrompt));
        }
        List<JsonObject> messages = new ArrayList<>();
        if (prompt.get("messages") instanceof JsonArray array) {
            messages.addAll(MessageJson.aiSdkMessages(array));
        }
        JsonValue text = prompt.get("prompt");
        if (text instanceof JsonString s) {
            messages.add(ContentDocument.textMessage(USER, s.getString()));
        } else if (text instanceof JsonArray array) {
            messages.addAll(MessageJson.aiSdkMessages(array));
        }
        return messages;
    }

    private List<JsonObject> aiSdkOutput() {
        List<JsonObject> parts = new ArrayList<>();
        if (aiResponseText != null && !aiResponseText.isEmpty()) {
            parts.add(ContentDocument.text(aiResponseText));
        } else if (aiResponseObject != null && !aiResponseObject.isEmpty()) {
            parts.add(ContentDocument.text(aiResponseObject));
        }
        if (aiResponseToolCalls != null) {
            parts.addAll(MessageJson.aiSdkToolCalls(aiResponseToolCalls));
        }
        return parts.isEmpty() ? List.of() : List.of(ContentDocument.message(ASSISTANT, parts, aiFinishReason));
    }

    private List<JsonObject> olderInput() {
        if (oldPrompt != null && !oldPrompt.isEmpty()) {
            return oldPrompt.messages(USER);
        }
        List<JsonObject> messages = MessageJson.openAiMessages(oldPromptJson, USER);
        if (!messages.isEmpty() || oldEvents == null) {
            return messages;
        }
        messages = new ArrayList<>();
        for (Span.Event event : oldEvents) {
            String role = switch (event.getName()) {
                case "gen_ai.system.message" -> "system";
                case "gen_ai.user.message" -> USER;
                case "gen_ai.assistant.message" -> ASSISTANT;
                case "gen_ai.tool.message" -> "tool";
                case "gen_ai.content.prompt" -> {
                    messages.addAll(MessageJson.openAiMessages(eventText(event, OLD_PROMPT), USER));
                    yield null;
                }
                default -> null;
            };
            if (role != null) {
                messages.add(eventMessage(event, role, null));
            }
        }
        return messages;
    }

    private List<JsonObject> olderOutput() {
        if (oldCompletion != null && !oldCompletion.isEmpty()) {
            return oldCompletion.messages(ASSISTANT);
        }
        List<JsonObject> messages = MessageJson.openAiMessages(oldCompletionJson, ASSISTANT);
        if (!messages.isEmpty() || oldEvents == null) {
            return messages;
        }
        record Choice(long index, JsonObject message) {}
        List<Choice> choices = new ArrayList<>();
        for (Span.Event event : oldEvents) {
            if ("gen_ai.choice".equals(event.getName())) {
                Long index = null;
                String finishReason = null;
                for (KeyValue kv : event.getAttributesList()) {
                    switch (kv.getKey()) {
                        case "index" -> index = AttributeValues.count(kv.getValue());
                        case "finish_reason" -> finishReason = AttributeValues.text(kv.getValue());
                        default -> { }
                    }
                }
                JsonObject message = MessageJson.parse(eventText(event, "message")) instanceof JsonObject m
                        ? MessageJson.openAiMessage(m, ASSISTANT, finishReason)
                        : eventMessage(event, ASSISTANT, finishReason);
                choices.add(new Choice(index != null ? index : choices.size(), message));
            } else if ("gen_ai.content.completion".equals(event.getName())) {
                MessageJson.openAiMessages(eventText(event, OLD_COMPLETION), ASSISTANT)
                        .forEach(m -> choices.add(new Choice(choices.size(), m)));
            }
        }
        choices.sort(Comparator.comparingLong(Choice::index));
        return choices.stream().map(Choice::message).toList();
    }

    /** An older GenAI per-message event ({@code content}, {@code tool_calls}, {@code id}) as a message. */
    private static JsonObject eventMessage(Span.Event event, String role, String finishReason) {
        String content = null;
        String toolCalls = null;
        String id = null;
        for (KeyValue kv : event.getAttributesList()) {
            switch (kv.getKey()) {
                case "content" -> content = raw(kv.getValue());
                case "tool_calls" -> toolCalls = raw(kv.getValue());
                case "id", "tool_call_id" -> id = raw(kv.getValue());
                case "role" -> role = AttributeValues.text(kv.getValue());
                default -> { }
            }
        }
        if ("tool".equals(role)) {
            return ContentDocument.message(role, List.of(ContentDocument.toolCallResponse(id,
                    content == null ? null : ContentDocument.jsonOrText(content))), finishReason);
        }
        List<JsonObject> parts = new ArrayList<>(MessageJson.openAiContent(content));
        if (toolCalls != null) {
            parts.addAll(MessageJson.openAiToolCalls(JsonFactories.provider().createValue(toolCalls)));
        }
        return ContentDocument.message(role, parts, finishReason);
    }

    private static String eventText(Span.Event event, String key) {
        for (KeyValue kv : event.getAttributesList()) {
            if (key.equals(kv.getKey())) {
                return raw(kv.getValue());
            }
        }
        return null;
    }

    private JsonValue toolDefinitions() {
        if (genAiTools != null) {
            return ContentDocument.jsonOrText(genAiTools);
        }
        if (detailsTools != null) {
            return ContentDocument.jsonOrText(detailsTools);
        }
        if (oiTools != null) {
            JsonArrayBuilder array = JsonFactories.array();
            oiTools.values().forEach(schema -> array.add(ContentDocument.jsonOrText(schema)));
            return array.build();
        }
        if (aiPromptTools != null) {
            if (aiPromptTools.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE) {
                JsonArrayBuilder array = JsonFactories.array();
                for (AnyValue tool : aiPromptTools.getArrayValue().getValuesList()) {
                    String text = raw(tool);
                    if (text != null) {
                        array.add(ContentDocument.jsonOrText(text));
                    }
                }
                return array.build();
            }
            String text = raw(aiPromptTools);
            return text == null ? null : ContentDocument.jsonOrText(text);
        }
        if (isToolSpan() && toolParameters != null && inputValue != null) {
            // The tool's own definition, when its arguments came in input.value.
            return JsonFactories.array().add(ContentDocument.jsonOrText(toolParameters)).build();
        }
        return null;
    }

    /** A tool span's call: name, arguments and result, each from the first convention that has it. */
    private void toolCall(ContentDocument doc) {
        boolean genAi = genAiToolArguments != null || genAiToolResult != null;
        boolean oi = isToolSpan() && (inputValue != null || outputValue != null || toolParameters != null);
        boolean aiSdk = aiToolArguments != null || aiToolResult != null;
        if (!genAi && !oi && !aiSdk) {
            return;
        }
        JsonValue arguments = genAiToolArguments != null ? ContentDocument.jsonOrText(genAiToolArguments)
                : oi && inputValue != null ? openInferenceValue(inputValue, inputMime)
                : oi && toolParameters != null ? ContentDocument.jsonOrText(toolParameters)
                : aiToolArguments != null ? ContentDocument.jsonOrText(aiToolArguments) : null;
        JsonValue result = genAiToolResult != null ? ContentDocument.jsonOrText(genAiToolResult)
                : oi && outputValue != null ? openInferenceValue(outputValue, outputMime)
                : aiToolResult != null ? ContentDocument.jsonOrText(aiToolResult) : null;
        String name = genAi && genAiToolName != null ? genAiToolName
                : oi && oiToolName != null ? oiToolName
                : aiSdk ? aiToolName : null;
        doc.toolCall(name, arguments, result);
    }

    private static JsonValue openInferenceValue(String value, String mime) {
        return "text/plain".equals(mime) ? JsonFactories.provider().createValue(value) : ContentDocument.jsonOrText(value);
    }
}
