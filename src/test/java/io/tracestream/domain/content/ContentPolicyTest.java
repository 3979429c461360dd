package io.tracestream.domain.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.JsonFactories;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPolicyTest {

    private static final int MIB = 1_048_576;

    private static ContentPolicy policy(ContentPolicy.Capture capture, long maxBytes) {
        return new ContentPolicy(capture, maxBytes, 200, Redaction.of(true, List.of()));
    }

    private static CallContent conversation(String question, String answer) {
        return CallContent.of(new ContentDocument()
                .systemInstruction(ContentDocument.text("You are a weather agent."))
                .input(ContentDocument.textMessage("user", question))
                .input(ContentDocument.message("assistant", List.of(ContentDocument.toolCall("call_1", "get_weather",
                        ContentDocument.jsonOrText("{\"city\":\"Paris\"}"))), "tool_calls"))
                .input(ContentDocument.message("tool", List.of(ContentDocument.toolCallResponse("call_1",
                        ContentDocument.jsonOrText("{\"temp\":21}"))), null))
                .output(ContentDocument.message("assistant", List.of(ContentDocument.text(answer)), "stop"))
                .build());
    }

    private static JsonObject parse(String json) {
        try (var r = JsonFactories.reader(new StringReader(json))) {
            return r.readObject();
        }
    }

    @Test
    void fullCaptureKeepsTheDocumentWithPreviewsOfTheLastQuestionAndTheAnswer() {
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB).apply(conversation("Weather in Paris?", "Sunny, 21 C."),
                new Redaction.Tally());
        assertEquals("Weather in Paris?", kept.content().inputPreview());
        assertEquals("Sunny, 21 C.", kept.content().outputPreview());
        assertTrue(kept.content().kept());
        assertFalse(kept.content().truncated());
        assertEquals(kept.json().getBytes(StandardCharsets.UTF_8).length, kept.content().bytes());
        JsonObject doc = parse(kept.json());
        assertEquals("Paris", doc.getJsonArray("input").getJsonObject(1).getJsonArray("parts").getJsonObject(0)
                .getJsonObject("arguments").getString("city"));
        assertEquals("stop", doc.getJsonArray("output").getJsonObject(0).getString("finish_reason"));
    }

    @Test
    void aToolCallsWholeArgumentsAreKeptAsAFingerprintWithFullAndMetadataCaptureButNotWithNone() {
        CallContent call = CallContent.of(Json.createObjectBuilder().add(ContentDocument.TOOL_CALL, Json.createObjectBuilder()
                .add("name", "write_file")
                .add("arguments", Json.createObjectBuilder().add("path", "a.md").add("text", "y".repeat(5_000)))).build());
        String expected = ArgumentsFingerprint.ofArguments(Json.createObjectBuilder().add("text", "y".repeat(5_000))
                .add("path", "a.md").build());
        assertEquals(expected, policy(ContentPolicy.Capture.FULL, MIB).apply(call, new Redaction.Tally()).content().argumentsHash());
        assertEquals(expected, policy(ContentPolicy.Capture.METADATA, MIB).apply(call, new Redaction.Tally()).content().argumentsHash());
        assertNull(policy(ContentPolicy.Capture.NONE, MIB).apply(call, new Redaction.Tally()));
    }

    @Test
    void metadataCaptureKeepsPreviewsButNoDocument() {
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.METADATA, MIB).apply(conversation("Q?", "A."), new Redaction.Tally());
        assertNull(kept.json());
        assertNull(kept.content().body());
        assertFalse(kept.content().kept());
        assertEquals("Q?", kept.content().inputPreview());
    }

    @Test
    void noneCaptureKeepsNothing() {
        assertNull(policy(ContentPolicy.Capture.NONE, MIB).apply(conversation("Q?", "A."), new Redaction.Tally()));
    }

    @Test
    void aHundredKilobytePromptIsKeptWhole() {
        String prompt = "context ".repeat(12_800); // 100 KiB
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB).apply(conversation(prompt, "ok"), new Redaction.Tally());
        assertFalse(kept.content().truncated());
        assertTrue(kept.json().contains(prompt.strip()));
    }

    @Test
    void aFiveMegabytePromptIsCutToTheLimitAndMarkedWithItsOriginalSize() {
        String prompt = "x".repeat(5 * MIB);
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB).apply(conversation(prompt, "the answer"), new Redaction.Tally());
        assertTrue(kept.content().truncated());
        assertTrue(kept.content().bytes() <= MIB, "kept " + kept.content().bytes());
        assertTrue(kept.content().bytes() > MIB * 9L / 10, "most of the limit is used: " + kept.content().bytes());
        JsonObject doc = parse(kept.json());
        JsonObject truncated = doc.getJsonObject("truncated");
        assertTrue(truncated.getJsonNumber("original_bytes").longValue() > 5L * MIB);
        assertEquals(1, truncated.getInt("texts_cut"));
        String cut = doc.getJsonArray("input").getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content");
        assertTrue(cut.endsWith("kept]") && cut.contains("[truncated: " + 5 * MIB + " characters"), cut.substring(cut.length() - 80));
        // The short texts around the long one are whole: the answer, the system instruction, the tool call.
        assertEquals("the answer", doc.getJsonArray("output").getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content"));
        assertEquals("the answer", kept.content().outputPreview());
    }

    @Test
    void twoHundredMessagesAreAllKeptInOrder() {
        ContentDocument doc = new ContentDocument();
        for (int i = 0; i < 200; i++) {
            doc.input(ContentDocument.textMessage(i % 2 == 0 ? "user" : "assistant", "message " + i));
        }
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB).apply(CallContent.of(doc.build()), new Redaction.Tally());
        JsonArray input = parse(kept.json()).getJsonArray("input");
        assertEquals(200, input.size());
        for (int i = 0; i < 200; i++) {
            assertEquals("message " + i, input.getJsonObject(i).getJsonArray("parts").getJsonObject(0).getString("content"));
        }
        assertEquals("message 198", kept.content().inputPreview(), "the last user message");
    }

    @Test
    void tooManyMessagesForTheLimitLeaveOutTheOldestButTheFirst() {
        ContentDocument doc = new ContentDocument();
        for (int i = 0; i < 5_000; i++) {
            doc.input(ContentDocument.textMessage("user", "message number " + i + " " + "y".repeat(100)));
        }
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, 64 * 1024).apply(CallContent.of(doc.build()), new Redaction.Tally());
        assertTrue(kept.content().bytes() <= 64 * 1024, "kept " + kept.content().bytes());
        JsonObject parsed = parse(kept.json());
        JsonArray input = parsed.getJsonArray("input");
        assertTrue(parsed.getJsonObject("truncated").getInt("messages_dropped") > 0);
        assertTrue(input.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content").startsWith("message number 0 "));
        assertTrue(input.getJsonObject(input.size() - 1).getJsonArray("parts").getJsonObject(0).getString("content")
                .startsWith("message number 4999 "), "the newest is kept");
    }

    @Test
    void secretsAreRedactedFromTheDocumentAndThePreviewsAndCounted() {
        Redaction.Tally tally = new Redaction.Tally();
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB)
                .apply(conversation("my key is sk-live-abcdefghijklmnopqrstuvwx", "noted sk-live-abcdefghijklmnopqrstuvwx"), tally);
        assertFalse(kept.json().contains("sk-live"), kept.json());
        assertFalse(kept.content().inputPreview().contains("sk-live"));
        assertFalse(kept.content().outputPreview().contains("sk-live"));
        assertEquals(2, tally.count());
        assertEquals(2, kept.content().redacted());
    }

    @Test
    void aToolCallsPreviewsAreItsArgumentsAndResult() {
        CallContent tool = CallContent.of(new ContentDocument().toolCall("get_weather",
                ContentDocument.jsonOrText("{\"city\": \"Paris\"}"), ContentDocument.jsonOrText("{\"temp\": 21}")).build());
        ContentPolicy.Kept kept = policy(ContentPolicy.Capture.FULL, MIB).apply(tool, new Redaction.Tally());
        assertEquals("{\"city\":\"Paris\"}", kept.content().inputPreview());
        assertEquals("{\"temp\":21}", kept.content().outputPreview());
    }

    @Test
    void previewsAreOneLineAndCutAtTheirLength() {
        String question = "line one\n\n   line two " + "z".repeat(400);
        ContentPolicy.Kept kept = new ContentPolicy(ContentPolicy.Capture.FULL, MIB, 40, Redaction.none())
                .apply(conversation(question, "a"), new Redaction.Tally());
        assertEquals("line one line two " + "z".repeat(22) + "…", kept.content().inputPreview());
    }

    @Test
    void anAnswerOfOnlyToolCallsIsPreviewedAsTheCalls() {
        CallContent c = CallContent.of(new ContentDocument().input(ContentDocument.textMessage("user", "Paris?"))
                .output(ContentDocument.message("assistant", List.of(ContentDocument.toolCall("c1", "get_weather",
                        ContentDocument.jsonOrText("{\"city\":\"Paris\"}"))), "tool_calls")).build());
        assertEquals("get_weather({\"city\":\"Paris\"})",
                policy(ContentPolicy.Capture.FULL, MIB).apply(c, new Redaction.Tally()).content().outputPreview());
    }

    @Test
    void captureSettingIsParsedInAnyCaseAndABadOneIsNamed() {
        assertEquals(ContentPolicy.Capture.METADATA, ContentPolicy.Capture.parse(" Metadata "));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ContentPolicy.Capture.parse("some"));
        assertTrue(e.getMessage().contains("tracestream.content.capture"));
    }
}
