package io.tracestream.domain;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.Map;

/**
 * The JSON-P factories, made once. Why: every static {@code jakarta.json.Json.createXxx} call
 * looks the provider up again through the service loader (a class-path scan on an application
 * server) and builds a fresh factory with its own buffer pool; on the ingest path that cost more
 * than everything else a request does. Factories are thread-safe, so one of each serves all.
 */
public final class JsonFactories {

    private static final JsonProvider PROVIDER = JsonProvider.provider();
    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
    private static final JsonGeneratorFactory GENERATORS = PROVIDER.createGeneratorFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

    private JsonFactories() {}

    public static JsonReader reader(InputStream in) {
        return READERS.createReader(in);
    }

    public static JsonReader reader(Reader in) {
        return READERS.createReader(in);
    }

    /** The JSON object in {@code text}, which is known to hold one (what this server wrote). */
    public static jakarta.json.JsonObject readObject(String text) {
        try (JsonReader reader = READERS.createReader(new java.io.StringReader(text))) {
            return reader.readObject();
        }
    }

    public static JsonGenerator generator(Writer out) {
        return GENERATORS.createGenerator(out);
    }

    public static JsonObjectBuilder object() {
        return BUILDERS.createObjectBuilder();
    }

    /** A builder starting from {@code initial}'s members. */
    public static JsonObjectBuilder object(jakarta.json.JsonObject initial) {
        return BUILDERS.createObjectBuilder(initial);
    }

    public static JsonArrayBuilder array() {
        return BUILDERS.createArrayBuilder();
    }

    /** The provider, for factories with their own settings (pretty printing, say); make those once too. */
    public static JsonProvider provider() {
        return PROVIDER;
    }
}
