package io.tracestream.domain.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static JsonValue json(String text) {
        try (var r = JsonFactories.reader(new StringReader(text))) {
            return r.readValue();
        }
    }

    @Test
    void chatShapedAndGenAiShapedMessagesGiveTheSameMessages() {
        List<JsonObject> chat = Messages.read(json("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]"), "user");
        List<JsonObject> genAi = Messages.read(json("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"}]}]"), "user");
        assertEquals(genAi, chat);
    }

    @Test
    void aStringIsOneMessageOfTheDefaultRole() {
        assertEquals(List.of(ContentDocument.textMessage("assistant", "Done.")), Messages.read(json("\"Done.\""), "assistant"));
    }

    @Test
    void toolCallArgumentsGivenAsJsonTextBecomeJson() {
        JsonObject m = Messages.message(json("{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"f\","
                + "\"arguments\":\"{\\\"a\\\":1}\"}],\"finish_reason\":\"tool_calls\"}"), "user");
        assertEquals(1, m.getJsonArray("parts").getJsonObject(0).getJsonObject("arguments").getInt("a"));
        assertEquals("tool_calls", m.getString("finish_reason"));
    }

    @Test
    void anImageKeepsItsNameNotItsBytes() {
        JsonObject m = Messages.message(json("{\"role\":\"user\",\"parts\":[{\"type\":\"blob\",\"modality\":\"image\","
                + "\"mime_type\":\"image/png\",\"content\":\"iVBORw0KGgoAAAANSUhEUgAA\"}]}"), "user");
        JsonObject part = m.getJsonArray("parts").getJsonObject(0);
        assertEquals("[image image/png]", part.getString("placeholder"));
        assertFalse(part.toString().contains("iVBOR"));
    }

    @Test
    void unknownMembersAndPartTypesAreNotCarriedAsTheyAre() {
        JsonObject m = Messages.message(json("{\"role\":\"user\",\"junk\":\"x\",\"parts\":[{\"type\":\"hologram\",\"v\":1}]}"), "user");
        assertFalse(m.containsKey("junk"));
        assertEquals("text", m.getJsonArray("parts").getJsonObject(0).getString("type"));
    }
}
