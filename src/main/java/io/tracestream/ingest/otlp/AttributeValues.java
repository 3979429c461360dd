package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tracestream.domain.JsonFactories;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Base64;

/**
 * OTLP attribute values ({@link AnyValue}) as TraceEvent attribute values, which are scalars:
 * {@link String}, {@link Boolean} or {@link BigDecimal}. Arrays, key-value lists and bytes become
 * their JSON text (bytes as a base64 string, as OTLP/JSON writes them), so nothing a producer sent
 * is lost or needs a new type downstream.
 */
final class AttributeValues {

    private AttributeValues() {}

    /** The value as an event attribute value, or {@code null} for an empty value (skipped). */
    static Object scalar(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> BigDecimal.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue())
                    ? BigDecimal.valueOf(v.getDoubleValue()) : Double.toString(v.getDoubleValue());
            case ARRAY_VALUE, KVLIST_VALUE, BYTES_VALUE -> jsonText(v);
            // A string index points into a profiles dictionary, which trace exports do not have.
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> null;
        };
    }

    /** The value as text (a name, an id), or {@code null} when it is empty or not a scalar. */
    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> null;
        };
    }

    /**
     * The value as a count (tokens): an integer, an integral double or a string of digits, as
     * instrumentations variously send them; {@code null} when it is none of those. A negative
     * count is returned as it is, for the event rules to refuse.
     */
    static Long count(AnyValue v) {
        switch (v.getValueCase()) {
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE:
                double d = v.getDoubleValue();
                return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
            case STRING_VALUE:
                return parseLong(v.getStringValue());
            default:
                return null;
        }
    }

    /** The value as an amount (cost in USD): a number or a decimal string; {@code null} otherwise. */
    static BigDecimal amount(AnyValue v) {
        switch (v.getValueCase()) {
            case INT_VALUE:
                return BigDecimal.valueOf(v.getIntValue());
            case DOUBLE_VALUE:
                return Double.isFinite(v.getDoubleValue()) ? BigDecimal.valueOf(v.getDoubleValue()) : null;
            case STRING_VALUE:
                String s = v.getStringValue();
                if (s.isEmpty() || s.length() > 40) {
                    return null;
                }
                try {
                    return new BigDecimal(s);
                } catch (NumberFormatException notANumber) {
                    return null;
                }
            default:
                return null;
        }
    }

    private static Long parseLong(String s) {
        int start = s.startsWith("-") ? 1 : 0;
        if (s.length() == start || s.length() > 19) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    static String jsonText(AnyValue v) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JsonFactories.generator(out)) {
            write(json, v);
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> json.write(v.getStringValue());
            case BOOL_VALUE -> json.write(v.getBoolValue());
            case INT_VALUE -> json.write(v.getIntValue());
            case DOUBLE_VALUE -> {
                // JSON has no NaN or infinity: those are written as their names.
                if (Double.isFinite(v.getDoubleValue())) {
                    json.write(v.getDoubleValue());
                } else {
                    json.write(Double.toString(v.getDoubleValue()));
                }
            }
            case BYTES_VALUE -> json.write(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                json.writeStartArray();
                for (AnyValue item : v.getArrayValue().getValuesList()) {
                    write(json, item);
                }
                json.writeEnd();
            }
            case KVLIST_VALUE -> {
                json.writeStartObject();
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    json.writeKey(kv.getKey());
                    write(json, kv.getValue());
                }
                json.writeEnd();
            }
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> json.writeNull();
        }
    }
}
