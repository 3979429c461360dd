package io.tracestream.ingest.otlp;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * JSON that producers put into attribute values as text (a LangChain run's {@code metadata}, a tool's
 * {@code output.value}), read only where a convention says what it holds. Text that is not a JSON
 * object is simply not one: never an error.
 */
final class JsonText {

    private JsonText() {}

    /** The text as a JSON object, or empty when it is none. */
    static Optional<JsonObject> object(String text) {
        if (text == null || text.isEmpty() || text.charAt(0) != '{') {
            return Optional.empty();
        }
        try (JsonReader reader = JsonFactories.reader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? Optional.of(value.asJsonObject()) : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** A member of the object that is a string, or {@code null}. */
    static String string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString s ? s.getString() : null;
    }
}
