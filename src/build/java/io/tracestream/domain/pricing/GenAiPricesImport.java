package io.tracestream.domain.pricing;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The build step that bundles the price table: reads the unpacked npm package
 * {@code @pydantic/genai-prices}, takes its provider data out of its JavaScript (the package ships
 * no JSON; see {@link JsDataLiteral}), checks that Trace Stream can read it, and writes it as
 * {@value PriceCatalog#RESOURCE} with where it came from. Run by Maven (pom.xml,
 * {@code bundle-genai-prices}); it fails the build, rather than shipping an empty or partial table,
 * when the package's layout is not what this code understands.
 *
 * <p>{@code java io.tracestream.domain.pricing.GenAiPricesImport PACKAGE_DIR PUBLISHED_DATE OUTPUT_FILE}
 */
public final class GenAiPricesImport {

    /** The file of the package that holds the data: its CommonJS build, the smaller of the two. */
    static final String DATA_FILE = "dist/index.cjs";
    /** Where a bundler's array literal starts: {@code const E=[{id:"anthropic",...}]}. */
    private static final String ARRAY_OF_OBJECTS = "[{";

    private GenAiPricesImport() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: GenAiPricesImport PACKAGE_DIR PUBLISHED_DATE OUTPUT_FILE");
            System.exit(2);
        }
        try {
            Path output = Path.of(args[2]);
            PriceCatalog catalog = importPackage(Path.of(args[0]), args[1], output);
            System.out.printf("Price table %s %s (%s): %d providers, %d models -> %s%n",
                    catalog.origin().source(), catalog.origin().version(), catalog.origin().date(),
                    catalog.providerCount(), catalog.modelCount(), output);
            catalog.problems().forEach(p -> System.out.println("  not usable, stays unpriced: " + p));
        } catch (IOException | RuntimeException e) {
            System.err.println("Cannot bundle the price table from " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Writes the bundled table and returns it as Trace Stream will read it.
     *
     * @throws IllegalStateException when the package holds no provider data this code can read
     */
    static PriceCatalog importPackage(Path packageDir, String publishedDate, Path output) throws IOException {
        JsonObject packageJson;
        try (Reader in = Files.newBufferedReader(packageDir.resolve("package.json"), StandardCharsets.UTF_8);
             JsonReader reader = JsonFactories.reader(in)) {
            packageJson = reader.readObject();
        }
        String source = packageJson.getString("name", null);
        String version = packageJson.getString("version", null);
        if (source == null || version == null) {
            throw new IllegalStateException("package.json names no package and version");
        }
        String script = Files.readString(packageDir.resolve(DATA_FILE), StandardCharsets.UTF_8);
        JsonArray providers = providersIn(script).orElseThrow(() -> new IllegalStateException(
                DATA_FILE + " holds no list of providers with models: has the package's layout changed?"));
        PriceCatalog.Origin origin = new PriceCatalog.Origin(source, version, publishedDate);
        PriceCatalog catalog = PriceCatalog.ofProviders(origin, providers);
        if (catalog.modelCount() == 0) {
            throw new IllegalStateException(DATA_FILE + " lists no models");
        }
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8);
             JsonGenerator g = JsonFactories.generator(out)) {
            g.writeStartObject();
            g.write("source", source);
            g.write("version", version);
            g.write("date", publishedDate);
            g.write("license", packageJson.getString("license", "see the LICENSE file next to this one"));
            g.write("providers", providers);
            g.writeEnd();
        }
        return catalog;
    }

    /**
     * The first array literal in the script that is a list of providers: objects with an
     * {@code id} and a list of {@code models}, each model with an {@code id}, a {@code match} and
     * {@code prices}. Looking for the data by its shape, not by a variable name, survives the
     * minifier renaming things from one release to the next.
     */
    static Optional<JsonArray> providersIn(String script) {
        for (int at = script.indexOf(ARRAY_OF_OBJECTS); at >= 0; at = script.indexOf(ARRAY_OF_OBJECTS, at + 1)) {
            JsonValue value;
            try {
                value = JsDataLiteral.readAt(script, at).value();
            } catch (IllegalArgumentException notData) {
                continue;
            }
            if (value instanceof JsonArray array && isProviderList(array)) {
                return Optional.of(array);
            }
        }
        return Optional.empty();
    }

    private static boolean isProviderList(JsonArray array) {
        return !array.isEmpty() && array.stream().allMatch(p -> p instanceof JsonObject provider
                && provider.get("id") instanceof jakarta.json.JsonString
                && provider.get("models") instanceof JsonArray models
                && models.stream().allMatch(m -> m instanceof JsonObject model
                        && model.containsKey("id") && model.containsKey("match") && model.containsKey("prices")));
    }
}
