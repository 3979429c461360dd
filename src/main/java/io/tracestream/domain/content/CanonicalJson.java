package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * JSON written one way whatever the order its producer wrote it in: members sorted by name, at
 * every level, no spaces. Why: {@code {"q":"x","n":3}} and {@code {"n":3,"q":"x"}} are the same
 * arguments, and a hash of them must say so. Numbers stay as written ({@code 1} is not {@code 1.0}).
 */
public final class CanonicalJson {

    private CanonicalJson() {}

    public static String of(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonValue value, StringBuilder out) {
        switch (value.getValueType()) {
            case OBJECT -> {
                JsonObject object = value.asJsonObject();
                out.append('{');
                boolean first = true;
                for (var member : new TreeMap<>(object).entrySet()) {
                    out.append(first ? "" : ",").append(JsonFactories.provider().createValue(member.getKey())).append(':');
                    write(member.getValue(), out);
                    first = false;
                }
                out.append('}');
            }
            case ARRAY -> {
                JsonArray array = value.asJsonArray();
                out.append('[');
                for (Iterator<JsonValue> it = array.iterator(); it.hasNext(); ) {
                    write(it.next(), out);
                    out.append(it.hasNext() ? "," : "");
                }
                out.append(']');
            }
            default -> out.append(value);
        }
    }
}
