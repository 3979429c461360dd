package io.tracestream.ingest.otlp;

import static io.tracestream.domain.content.ContentDocument.jsonOrText;
import static io.tracestream.domain.content.ContentDocument.media;
import static io.tracestream.domain.content.ContentDocument.message;
import static io.tracestream.domain.content.ContentDocument.text;
import static io.tracestream.domain.content.ContentDocument.textMessage;
import static io.tracestream.domain.content.ContentDocument.toolCall;
import static io.tracestream.domain.content.ContentDocument.toolCallResponse;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.spanEvent;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.content.ContentDocument;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One conversation (a system prompt, a user's question, the model's tool call with JSON arguments,
 * the tool's answer, the model's final answer) as each convention writes it: every one must give
 * the same GenAI-shaped document, so the page reads one shape whoever produced the span.
 */
class SpanContentTest {

    private static final String SYSTEM = "You are a weather assistant.";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final String ARGUMENTS = "{\"city\":\"Paris\"}";
    private static final String RESULT = "{\"temperature\":21,\"sky\":\"sunny\"}";
    private static final String ANSWER = "It is 21 °C and sunny in Paris.";

    /** The conversation as Trace Stream keeps it; OpenInference has no finish reason to give. */
    private static JsonObject conversation(boolean withFinishReason) {
        return new ContentDocument()
                .input(textMessage("system", SYSTEM))
                .input(textMessage("user", QUESTION))
                .input(message("assistant", List.of(toolCall("call_1", "get_weather", jsonOrText(ARGUMENTS))), null))
                .input(message("tool", List.of(toolCallResponse("call_1", jsonOrText(RESULT))), null))
                .output(message("assistant", List.of(text(ANSWER)), withFinishReason ? "stop" : null))
                .build();
    }

    private static final String GEN_AI_INPUT = """
            [{"role": "system", "parts": [{"type": "text", "content": "You are a weather assistant."}]},
             {"role": "user", "parts": [{"type": "text", "content": "What is the weather in Paris?"}], "x-vendor": {"trace": 1}},
             {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_1", "name": "get_weather",
                                              "arguments": {"city": "Paris"}}]},
             {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_1",
                                         "response": {"temperature": 21, "sky": "sunny"}}]}]
            """;
    private static final String GEN_AI_OUTPUT = """
            [{"role": "assistant", "parts": [{"type": "text", "content": "It is 21 °C and sunny in Paris."}],
              "finish_reason": "stop"}]
            """;

    private static Span.Builder model(String name) {
        return span(name, 2, 1, 100, 900);
    }

    private static JsonObject document(Span.Builder span) {
        return SpanContent.of(span.build()).document();
    }

    private static void assertEveryAttributeIsContentBut(Span.Builder span, String... facts) {
        SpanContent content = SpanContent.of(span.build());
        List<String> kept = List.of(facts);
        for (KeyValue kv : span.getAttributesList()) {
            assertEquals(!kept.contains(kv.getKey()), content.isContent(kv.getKey()), kv.getKey());
        }
    }

    @Test
    void genAiMessagesAreRebuiltThroughTheBuildersWithoutTheProducersExtraMembers() {
        Span.Builder span = model("chat gpt-4o")
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(str("gen_ai.input.messages", GEN_AI_INPUT))
                .addAttributes(str("gen_ai.output.messages", GEN_AI_OUTPUT))
                .addAttributes(num("gen_ai.usage.input_tokens", 120));
        assertEquals(conversation(true), document(span));
        assertEveryAttributeIsContentBut(span, "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.usage.input_tokens");
    }

    @Test
    void genAiInferenceDetailsEventGivesTheSameDocumentAsTheAttributes() {
        Span.Builder span = model("chat gpt-4o")
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addEvents(spanEvent(SpanContent.DETAILS_EVENT,
                        str("gen_ai.input.messages", GEN_AI_INPUT), str("gen_ai.output.messages", GEN_AI_OUTPUT)));
        assertEquals(conversation(true), document(span));
        assertFalse(SpanContent.of(span.build()).isContent("gen_ai.request.model"));
    }

    @Test
    void genAiSystemInstructionsAndToolDefinitionsAreKeptApartFromTheMessages() {
        String tools = "[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]";
        Span.Builder span = model("chat gpt-4o")
                .addAttributes(str("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"" + SYSTEM + "\"}]"))
                .addAttributes(str("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + QUESTION + "\"}]}]"))
                .addAttributes(str("gen_ai.tool.definitions", tools));
        JsonObject expected = new ContentDocument()
                .systemInstruction(text(SYSTEM))
                .input(textMessage("user", QUESTION))
                .toolDefinitions(jsonOrText(tools))
                .build();
        assertEquals(expected, document(span));
        assertEveryAttributeIsContentBut(span);
    }

    @Test
    void openInferenceFlattenedMessagesMapToTheSameMessagesAsGenAi() {
        Span.Builder span = model("ChatOpenAI")
                .addAttributes(str("openinference.span.kind", "LLM"))
                .addAttributes(str("llm.model_name", "gpt-4o"))
                .addAttributes(str("input.value", "{\"messages\":[\"...the request as sent...\"]}"))
                .addAttributes(str("input.mime_type", "application/json"))
                .addAttributes(str("llm.input_messages.0.message.role", "system"))
                .addAttributes(str("llm.input_messages.0.message.content", SYSTEM))
                .addAttributes(str("llm.input_messages.1.message.role", "user"))
                .addAttributes(str("llm.input_messages.1.message.contents.0.message_content.type", "text"))
                .addAttributes(str("llm.input_messages.1.message.contents.0.message_content.text", QUESTION))
                .addAttributes(str("llm.input_messages.2.message.role", "assistant"))
                .addAttributes(str("llm.input_messages.2.message.tool_calls.0.tool_call.id", "call_1"))
                .addAttributes(str("llm.input_messages.2.message.tool_calls.0.tool_call.function.name", "get_weather"))
                .addAttributes(str("llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments", ARGUMENTS))
                .addAttributes(str("llm.input_messages.3.message.role", "tool"))
                .addAttributes(str("llm.input_messages.3.message.content", RESULT))
                .addAttributes(str("llm.input_messages.3.message.tool_call_id", "call_1"))
                .addAttributes(str("llm.output_messages.0.message.role", "assistant"))
                .addAttributes(str("llm.output_messages.0.message.content", ANSWER))
                .addAttributes(str("output.value", ANSWER))
                .addAttributes(num("llm.token_count.prompt", 120));
        // The request JSON in input.value says the messages again: they win, and it is dropped too.
        assertEquals(conversation(false), document(span));
        assertEveryAttributeIsContentBut(span, "openinference.span.kind", "llm.model_name", "llm.token_count.prompt");
    }

    @Test
    void openInferenceInputAndOutputValuesAreAnAgentStepsMessagesAndAnLlmSpansOnlyWhenItHasNoMessages() {
        Span.Builder agent = span("researcher", 1, 0, 0, 1000)
                .addAttributes(str("openinference.span.kind", "AGENT"))
                .addAttributes(str("input.value", QUESTION))
                .addAttributes(str("input.mime_type", "text/plain"))
                .addAttributes(str("output.value", ANSWER));
        JsonObject expected = new ContentDocument().input(textMessage("user", QUESTION))
                .output(textMessage("assistant", ANSWER)).build();
        assertEquals(expected, document(agent));
        Span.Builder llm = model("ChatOpenAI")
                .addAttributes(str("openinference.span.kind", "LLM"))
                .addAttributes(str("input.value", QUESTION))
                .addAttributes(str("output.value", ANSWER));
        assertEquals(expected, document(llm));
    }

    @Test
    void twoHundredOpenInferenceMessagesAreAllKeptInNumericOrder() {
        List<KeyValue> attributes = new ArrayList<>();
        List<JsonObject> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String role = i % 2 == 0 ? "user" : "assistant";
            attributes.add(str("llm.input_messages." + i + ".message.role", role));
            attributes.add(str("llm.input_messages." + i + ".message.content", "message " + i));
            expected.add(textMessage(role, "message " + i));
        }
        // Keys in lexical order, as some exporters sort them: 10 comes before 2 there.
        attributes.sort(Comparator.comparing(KeyValue::getKey));
        Span.Builder span = model("ChatOpenAI").addAttributes(str("openinference.span.kind", "LLM")).addAllAttributes(attributes);
        JsonArray input = document(span).getJsonArray(ContentDocument.INPUT);
        assertEquals(200, input.size());
        assertEquals(expected, input);
        assertEquals(textMessage("user", "message 10"), input.get(10));
        SpanContent content = SpanContent.of(span.build());
        attributes.forEach(kv -> assertTrue(content.isContent(kv.getKey()), kv.getKey()));
    }

    @Test
    void vercelAiSdkPromptMessagesMapToTheSameMessagesAsGenAi() {
        String messages = """
                [{"role": "system", "content": "You are a weather assistant."},
                 {"role": "user", "content": [{"type": "text", "text": "What is the weather in Paris?"}]},
                 {"role": "assistant", "content": [{"type": "tool-call", "toolCallId": "call_1", "toolName": "get_weather",
                                                    "input": {"city": "Paris"}}]},
                 {"role": "tool", "content": [{"type": "tool-result", "toolCallId": "call_1", "toolName": "get_weather",
                                               "output": {"type": "json", "value": {"temperature": 21, "sky": "sunny"}}}]}]
                """;
        Span.Builder v5 = model("ai.generateText.doGenerate")
                .addAttributes(str("ai.operationId", "ai.generateText.doGenerate"))
                .addAttributes(str("ai.model.id", "gpt-4o"))
                .addAttributes(str("ai.prompt.messages", messages))
                .addAttributes(str("ai.response.text", ANSWER))
                .addAttributes(str("ai.response.finishReason", "stop"));
        assertEquals(conversation(true), document(v5));
        assertEveryAttributeIsContentBut(v5, "ai.operationId", "ai.model.id");

        // AI SDK 4 wrote the arguments as a JSON string under "args" and the result under "result".
        String v4Messages = messages
                .replace("\"input\": {\"city\": \"Paris\"}", "\"args\": \"{\\\"city\\\":\\\"Paris\\\"}\"")
                .replace("\"output\": {\"type\": \"json\", \"value\": {\"temperature\": 21, \"sky\": \"sunny\"}}",
                        "\"result\": {\"temperature\": 21, \"sky\": \"sunny\"}");
        Span.Builder v4 = model("ai.generateText.doGenerate")
                .addAttributes(str("ai.prompt.messages", v4Messages))
                .addAttributes(str("ai.response.text", ANSWER))
                .addAttributes(str("ai.response.finishReason", "stop"));
        assertEquals(conversation(true), document(v4));
    }

    @Test
    void vercelAiSdkResponseToolCallsAreToolCallPartsOfTheAnswer() {
        Span.Builder span = model("ai.generateText.doGenerate")
                .addAttributes(str("ai.prompt.messages", "[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]"))
                .addAttributes(str("ai.response.toolCalls", "[{\"toolCallType\":\"function\",\"toolCallId\":\"call_1\","
                        + "\"toolName\":\"get_weather\",\"input\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]"))
                .addAttributes(str("ai.response.finishReason", "tool-calls"));
        JsonObject expected = new ContentDocument().input(textMessage("user", QUESTION))
                .output(message("assistant", List.of(toolCall("call_1", "get_weather", jsonOrText(ARGUMENTS))), "tool_call"))
                .build();
        assertEquals(expected, document(span));
        assertEquals("tool_call", document(span).getJsonArray("output").getJsonObject(0).getString("finish_reason"),
                "the AI SDK's tool-calls in GenAI's words");
    }

    @Test
    void vercelAiSdkTopLevelSystemIsASystemInstructionAsGenAiSystemInstructionsAre() {
        Span.Builder aiSdk = span("ai.generateText", 1, 0, 0, 1000)
                .addAttributes(str("ai.prompt", "{\"system\":\"" + SYSTEM + "\",\"prompt\":\"" + QUESTION + "\"}"))
                .addAttributes(str("ai.response.text", ANSWER));
        Span.Builder genAi = span("invoke_agent", 1, 0, 0, 1000)
                .addAttributes(str("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"" + SYSTEM + "\"}]"))
                .addAttributes(str("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + QUESTION + "\"}]}]"))
                .addAttributes(str("gen_ai.output.messages",
                        "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + ANSWER + "\"}]}]"));
        JsonObject expected = new ContentDocument().systemInstruction(text(SYSTEM)).input(textMessage("user", QUESTION))
                .output(textMessage("assistant", ANSWER)).build();
        assertEquals(expected, document(aiSdk));
        assertEquals(expected, document(genAi));
    }

    @Test
    void olderGenAiIndexedAttributesMapToTheSameMessagesAsGenAi() {
        Span.Builder span = model("openai.chat")
                .addAttributes(str("gen_ai.system", "openai"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(str("gen_ai.prompt.0.role", "system"))
                .addAttributes(str("gen_ai.prompt.0.content", SYSTEM))
                .addAttributes(str("gen_ai.prompt.1.role", "user"))
                .addAttributes(str("gen_ai.prompt.1.content", QUESTION))
                .addAttributes(str("gen_ai.prompt.2.role", "assistant"))
                .addAttributes(str("gen_ai.prompt.2.tool_calls.0.id", "call_1"))
                .addAttributes(str("gen_ai.prompt.2.tool_calls.0.name", "get_weather"))
                .addAttributes(str("gen_ai.prompt.2.tool_calls.0.arguments", ARGUMENTS))
                .addAttributes(str("gen_ai.prompt.3.role", "tool"))
                .addAttributes(str("gen_ai.prompt.3.content", RESULT))
                .addAttributes(str("gen_ai.prompt.3.tool_call_id", "call_1"))
                .addAttributes(str("gen_ai.completion.0.role", "assistant"))
                .addAttributes(str("gen_ai.completion.0.content", ANSWER))
                .addAttributes(str("gen_ai.completion.0.finish_reason", "stop"));
        assertEquals(conversation(true), document(span));
        assertEveryAttributeIsContentBut(span, "gen_ai.system", "gen_ai.request.model");
    }

    @Test
    void olderGenAiPerMessageEventsMapToTheSameMessagesAsGenAi() {
        Span.Builder span = model("chat gpt-4o")
                .addEvents(spanEvent("gen_ai.system.message", str("content", SYSTEM)))
                .addEvents(spanEvent("gen_ai.user.message", str("content", QUESTION)))
                .addEvents(spanEvent("gen_ai.assistant.message", str("tool_calls",
                        "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]")))
                .addEvents(spanEvent("gen_ai.tool.message", str("content", RESULT), str("id", "call_1")))
                .addEvents(spanEvent("gen_ai.choice", num("index", 0), str("finish_reason", "stop"),
                        str("message", "{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"}")));
        assertEquals(conversation(true), document(span));
    }

    @Test
    void olderGenAiChoicesAreOrderedByTheirIndex() {
        Span.Builder span = model("chat gpt-4o")
                .addEvents(spanEvent("gen_ai.user.message", str("content", QUESTION)))
                .addEvents(spanEvent("gen_ai.choice", num("index", 1), str("content", "second")))
                .addEvents(spanEvent("gen_ai.choice", num("index", 0), str("content", "first"), str("finish_reason", "stop")));
        JsonArray output = document(span).getJsonArray(ContentDocument.OUTPUT);
        assertEquals(List.of(message("assistant", List.of(text("first")), "stop"), textMessage("assistant", "second")), output);
    }

    @Test
    void toolSpansOfEveryConventionGiveTheSameToolCallWithJsonArgumentsAsObjects() {
        JsonObject expected = new ContentDocument().toolCall("get_weather", jsonOrText(ARGUMENTS), jsonOrText(RESULT)).build();
        assertTrue(expected.getJsonObject(ContentDocument.TOOL_CALL).get("arguments") instanceof JsonObject);
        Span.Builder genAi = span("execute_tool get_weather", 3, 2, 0, 10)
                .addAttributes(str("gen_ai.tool.name", "get_weather"))
                .addAttributes(str("gen_ai.tool.call.arguments", ARGUMENTS))
                .addAttributes(str("gen_ai.tool.call.result", RESULT));
        Span.Builder openInference = span("get_weather", 3, 2, 0, 10)
                .addAttributes(str("openinference.span.kind", "TOOL"))
                .addAttributes(str("tool.name", "get_weather"))
                .addAttributes(str("input.value", ARGUMENTS))
                .addAttributes(str("input.mime_type", "application/json"))
                .addAttributes(str("output.value", RESULT))
                .addAttributes(str("output.mime_type", "application/json"));
        Span.Builder aiSdk = span("ai.toolCall", 3, 2, 0, 10)
                .addAttributes(str("ai.toolCall.name", "get_weather"))
                .addAttributes(str("ai.toolCall.args", ARGUMENTS))
                .addAttributes(str("ai.toolCall.result", RESULT));
        assertEquals(expected, document(genAi));
        assertEquals(expected, document(openInference));
        assertEquals(expected, document(aiSdk));
        assertEveryAttributeIsContentBut(genAi, "gen_ai.tool.name");
        assertEveryAttributeIsContentBut(openInference, "openinference.span.kind", "tool.name");
        assertEveryAttributeIsContentBut(aiSdk, "ai.toolCall.name");

        // text/plain is text even when it looks like JSON.
        Span.Builder plain = span("get_weather", 3, 2, 0, 10)
                .addAttributes(str("openinference.span.kind", "TOOL"))
                .addAttributes(str("output.value", "[1, 2]"))
                .addAttributes(str("output.mime_type", "text/plain"));
        assertEquals(JsonFactories.provider().createValue("[1, 2]"),
                document(plain).getJsonObject(ContentDocument.TOOL_CALL).get("result"));
    }

    @Test
    void toolDefinitionsOfOpenInferenceAndTheAiSdkAreAnArrayInTheirOrder() {
        String first = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}";
        String second = "{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}";
        JsonArray expected = JsonFactories.array().add(jsonOrText(first)).add(jsonOrText(second)).build();
        Span.Builder openInference = model("ChatOpenAI")
                .addAttributes(str("llm.tools.1.tool.json_schema", second))
                .addAttributes(str("llm.tools.0.tool.json_schema", first));
        Span.Builder aiSdk = model("ai.generateText.doGenerate").addAttributes(strings("ai.prompt.tools", first, second));
        assertEquals(expected, document(openInference).get(ContentDocument.TOOL_DEFINITIONS));
        assertEquals(expected, document(aiSdk).get(ContentDocument.TOOL_DEFINITIONS));
        assertTrue(SpanContent.of(aiSdk.build()).isContent("ai.prompt.tools"));
    }

    @Test
    void theFirstConventionWithInputGivesTheInputAndTheFirstWithOutputTheOutput() {
        Span.Builder span = model("chat")
                .addAttributes(str("llm.input_messages.0.message.role", "user"))
                .addAttributes(str("llm.input_messages.0.message.content", "from OpenInference"))
                .addAttributes(str("llm.output_messages.0.message.role", "assistant"))
                .addAttributes(str("llm.output_messages.0.message.content", ANSWER))
                .addAttributes(str("gen_ai.prompt.0.role", "user"))
                .addAttributes(str("gen_ai.prompt.0.content", "from older GenAI"))
                .addAttributes(str("gen_ai.input.messages",
                        "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + QUESTION + "\"}]}]"));
        JsonObject expected = new ContentDocument().input(textMessage("user", QUESTION))
                .output(textMessage("assistant", ANSWER)).build();
        assertEquals(expected, document(span));
        // The lower conventions' copies of the conversation are moved too, not stored twice.
        assertEveryAttributeIsContentBut(span);
    }

    @Test
    void malformedProducerJsonIsKeptAsTextAndBadPiecesAreSkippedWithoutAnException() {
        String truncated = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi";
        Span.Builder span = model("chat")
                .addAttributes(str("gen_ai.input.messages", truncated))
                .addAttributes(str("gen_ai.output.messages", "{\"not\":\"an array\"}"))
                .addAttributes(str("gen_ai.system_instructions", "be brief"));
        JsonObject expected = new ContentDocument().systemInstruction(text("be brief"))
                .input(textMessage("user", truncated)).output(textMessage("assistant", "{\"not\":\"an array\"}")).build();
        assertEquals(expected, document(span));

        Span.Builder pieces = model("chat").addAttributes(str("gen_ai.input.messages",
                "[42, \"text\", null, {\"role\":\"user\",\"parts\":[7, {\"type\":\"text\",\"content\":\"ok\"}, "
                        + "{\"type\":\"tool_call\",\"arguments\":\"{not json\"}]}]"));
        assertEquals(List.of(message("user", List.of(text("ok"), toolCall(null, null, jsonOrText("{not json"))), null)),
                document(pieces).getJsonArray(ContentDocument.INPUT));

        Span.Builder aiSdk = model("ai.generateText.doGenerate").addAttributes(str("ai.prompt.messages", "[{"))
                .addAttributes(str("ai.response.toolCalls", "nonsense"));
        assertEquals(new ContentDocument().input(textMessage("user", "[{")).build(), document(aiSdk));

        Span.Builder events = model("chat").addEvents(spanEvent("gen_ai.choice", str("message", "{broken"),
                str("content", ANSWER)));
        assertEquals(List.of(textMessage("assistant", ANSWER)), document(events).getJsonArray(ContentDocument.OUTPUT));
    }

    @Test
    void aBase64ImageBecomesAPlaceholderWithoutItsBytesInEveryConvention() {
        String base64 = Base64.getEncoder().encodeToString(new byte[6000]);
        JsonObject image = media("blob", "image", "image/png", null);
        Span.Builder genAi = model("chat").addAttributes(str("gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"what is this?\"},"
                        + "{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":\"image/png\",\"content\":\"" + base64 + "\"}]}]"));
        Span.Builder openInference = model("ChatOpenAI")
                .addAttributes(str("llm.input_messages.0.message.role", "user"))
                .addAttributes(str("llm.input_messages.0.message.contents.0.message_content.type", "text"))
                .addAttributes(str("llm.input_messages.0.message.contents.0.message_content.text", "what is this?"))
                .addAttributes(str("llm.input_messages.0.message.contents.1.message_content.type", "image"))
                .addAttributes(str("llm.input_messages.0.message.contents.1.message_content.image.image.url",
                        "data:image/png;base64," + base64));
        Span.Builder aiSdk = model("ai.generateText.doGenerate").addAttributes(str("ai.prompt.messages",
                "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is this?\"},"
                        + "{\"type\":\"image\",\"image\":\"" + base64 + "\",\"mediaType\":\"image/png\"}]}]"));
        JsonObject expected = new ContentDocument().input(message("user", List.of(text("what is this?"), image), null)).build();
        for (Span.Builder span : List.of(genAi, openInference, aiSdk)) {
            JsonObject document = document(span);
            assertEquals(expected, document);
            assertFalse(document.toString().contains(base64.substring(0, 100)));
        }
        // A link to an image is kept as its name; a data: URI never is.
        Span.Builder uri = model("chat").addAttributes(str("gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https://x.test/cat.png\"},"
                        + "{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"data:image/png;base64," + base64 + "\"}]}]"));
        assertEquals(List.of(media("uri", "image", null, "https://x.test/cat.png"), media("uri", "image", null, "data:")),
                document(uri).getJsonArray(ContentDocument.INPUT).getJsonObject(0).getJsonArray(ContentDocument.PARTS));
        assertFalse(document(uri).toString().contains(base64.substring(0, 100)));
    }

    @Test
    void anUnknownPartTypeIsTextOfItsJsonUnlessItCarriesBytesThenAPlaceholder() {
        String base64 = Base64.getEncoder().encodeToString(new byte[3000]);
        Span.Builder span = model("chat").addAttributes(str("gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"think first\"},"
                        + "{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"" + base64 + "\",\"format\":\"wav\"}},"
                        + "{\"type\":\"text\",\"content\":\"done\"}]}]"));
        JsonArray parts = document(span).getJsonArray(ContentDocument.OUTPUT).getJsonObject(0).getJsonArray(ContentDocument.PARTS);
        assertEquals(List.of(text("{\"type\":\"reasoning\",\"content\":\"think first\"}"),
                media("input_audio", "audio", null, null), text("done")), parts);
    }

    @Test
    void aSpanWithoutContentHasNoDocumentAndNoContentKeys() {
        Span.Builder span = model("chat gpt-4o")
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"))
                .addAttributes(num("llm.token_count.prompt", 12))
                .addAttributes(str("tool.name", "get_weather"))
                .addAttributes(str("gen_ai.tool.name", "get_weather"))
                .addAttributes(str("input.mime_type", "application/json"))
                .addEvents(spanEvent("exception", str("exception.type", "ValueError")));
        SpanContent content = SpanContent.of(span.build());
        assertNull(content.document());
        for (KeyValue kv : span.getAttributesList()) {
            assertFalse(content.isContent(kv.getKey()), kv.getKey());
        }
        assertFalse(content.isContent("gen_ai.input.messages"));
    }

    @Test
    void factsAreNeverContentEvenOnASpanWithContent() {
        SpanContent content = SpanContent.of(model("chat")
                .addAttributes(str("gen_ai.input.messages", "[]"))
                .addAttributes(str("gen_ai.output.messages", GEN_AI_OUTPUT)).build());
        assertNotNull(content.document());
        for (String fact : List.of("gen_ai.request.model", "llm.token_count.prompt", "tool.name", "gen_ai.tool.name",
                "llm.model_name", "gen_ai.usage.output_tokens", "gen_ai.response.finish_reasons", "llm.invocation_parameters",
                "session.id", "gen_ai.promptx", "llm.input_messagesx")) {
            assertFalse(content.isContent(fact), fact);
        }
        for (String said : List.of("gen_ai.input.messages", "llm.input_messages.3.message.content",
                "llm.output_messages.0.message.role", "gen_ai.prompt.12.content", "gen_ai.completion.0.tool_calls.1.arguments",
                "llm.tools.0.tool.json_schema", "input.value", "output.value", "tool.parameters", "ai.prompt", "ai.response.text")) {
            assertTrue(content.isContent(said), said);
        }
    }
}
