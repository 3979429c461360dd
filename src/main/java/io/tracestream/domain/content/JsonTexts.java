package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/** The texts of a JSON document: each string value changed, measured or written. */
final class JsonTexts {

    private JsonTexts() {}

    /** {@code value} with every string value (not member names) passed through {@code change}; unchanged parts are shared. */
    static JsonValue map(JsonValue value, UnaryOperator<String> change) {
        switch (value.getValueType()) {
            case STRING -> {
                String s = ((JsonString) value).getString();
                String changed = change.apply(s);
                return changed.equals(s) ? value : JsonFactories.provider().createValue(changed);
            }
            case OBJECT -> {
                JsonObjectBuilder b = JsonFactories.object();
                for (Map.Entry<String, JsonValue> e : value.asJsonObject().entrySet()) {
                    b.add(e.getKey(), map(e.getValue(), change));
                }
                return b.build();
            }
            case ARRAY -> {
                JsonArrayBuilder b = JsonFactories.array();
                for (JsonValue v : value.asJsonArray()) {
                    b.add(map(v, change));
                }
                return b.build();
            }
            default -> {
                return value;
            }
        }
    }

    /** The sum of {@code measure} over every string value. */
    static long sum(JsonValue value, ToIntFunction<String> measure) {
        return switch (value.getValueType()) {
            case STRING -> measure.applyAsInt(((JsonString) value).getString());
            case OBJECT -> {
                long total = 0;
                for (JsonValue v : value.asJsonObject().values()) {
                    total += sum(v, measure);
                }
                yield total;
            }
            case ARRAY -> {
                long total = 0;
                for (JsonValue v : (JsonArray) value) {
                    total += sum(v, measure);
                }
                yield total;
            }
            default -> 0;
        };
    }

    static String write(JsonObject doc) {
        StringWriter out = new StringWriter();
        try (var g = JsonFactories.generator(out)) {
            g.write(doc);
        }
        return out.toString();
    }

    static long utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
