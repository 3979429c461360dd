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

    /**
     * {@code value} with every string value (not member names) passed through {@code change}. What
     * does not change is answered as it is, the same instance: redaction mostly finds nothing, and
     * copying every object of a large conversation for nothing was most of its cost.
     */
    static JsonValue map(JsonValue value, UnaryOperator<String> change) {
        switch (value.getValueType()) {
            case STRING -> {
                String s = ((JsonString) value).getString();
                String changed = change.apply(s);
                return changed.equals(s) ? value : JsonFactories.provider().createValue(changed);
            }
            case OBJECT -> {
                JsonObject object = value.asJsonObject();
                JsonObjectBuilder b = null;
                for (Map.Entry<String, JsonValue> e : object.entrySet()) {
                    JsonValue mapped = map(e.getValue(), change);
                    if (mapped != e.getValue() && b == null) {
                        b = JsonFactories.object(object);
                    }
                    if (b != null && mapped != e.getValue()) {
                        b.add(e.getKey(), mapped);
                    }
                }
                return b == null ? value : b.build();
            }
            case ARRAY -> {
                JsonArray array = value.asJsonArray();
                JsonArrayBuilder b = null;
                for (int i = 0; i < array.size(); i++) {
                    JsonValue v = array.get(i);
                    JsonValue mapped = map(v, change);
                    if (mapped != v && b == null) {
                        b = JsonFactories.array();
                        for (int j = 0; j < i; j++) {
                            b.add(array.get(j));
                        }
                    }
                    if (b != null) {
                        b.add(mapped);
                    }
                }
                return b == null ? value : b.build();
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
