package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tracestream.domain.FieldError;
import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private static JsonObject parse(String json) {
        return JsonFactories.reader(new StringReader(json)).readObject();
    }

    @Test
    void namesEachWrongFieldUnderItsTypeUri() {
        JsonObject json = parse(new Problem(400, Problem.type("invalid-events"), "Not valid", "[1].agent_id: is required",
                List.of(new FieldError("[1].agent_id", "is required"))).toJson());
        assertEquals("urn:tracestream:problem:invalid-events", json.getString("type"));
        assertEquals(400, json.getInt("status"));
        assertEquals("Not valid", json.getString("title"));
        assertEquals("[1].agent_id: is required", json.getString("detail"));
        assertEquals("[1].agent_id", json.getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals("is required", json.getJsonArray("errors").getJsonObject(0).getString("message"));
    }

    @Test
    void leavesOutWhatItWasNotGiven() {
        JsonObject json = parse(Problem.of(404, "not-found", "Not found", null).toJson());
        assertFalse(json.containsKey("detail"));
        assertFalse(json.containsKey("errors"));
    }
}
