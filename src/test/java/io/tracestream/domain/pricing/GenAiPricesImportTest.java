package io.tracestream.domain.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenAiPricesImportTest {

    /** Shaped like the package's dist/index.cjs: code, the providers' literal among other literals, more code. */
    private static final String SCRIPT = "\"use strict\";Object.defineProperty(exports,Symbol.toStringTag,{value:\"Module\"});"
            + "const q=[{a:f()}],E=[{id:\"openai\",name:\"OpenAI\",api_pattern:\"https://api\\\\.openai\\\\.com\","
            + "model_match:{starts_with:\"gpt-\"},models:[{id:\"gpt-4o\",description:`The flagship\nmodel`,"
            + "match:{or:[{equals:\"gpt-4o\"},{equals:\"gpt-4o-2024-08-06\"}]},context_window:128e3,"
            + "prices:{input_mtok:2.5,cache_read_mtok:1.25,output_mtok:10}}]}],X={audio_seconds:{per:3600}};"
            + "function g(e){return[{x:e}]}exports.calcPrice=g;";

    @TempDir
    Path dir;

    @Test
    void theProvidersAreTakenOutOfTheScriptAndWrittenAsJsonWithTheirOrigin() throws IOException {
        Path output = dir.resolve("out/genai-prices.json");
        PriceCatalog imported = GenAiPricesImport.importPackage(pack(SCRIPT), "2026-09-23", output);

        assertEquals(new PriceCatalog.Origin("@pydantic/genai-prices", "0.1.8", "2026-09-23"), imported.origin());
        try (InputStream in = Files.newInputStream(output)) {
            PriceCatalog read = PriceCatalog.read(in);
            assertEquals(imported.origin(), read.origin());
            assertEquals(new ModelPrice(new BigDecimal("2.5"), BigDecimal.TEN, new BigDecimal("1.25")),
                    read.find("gpt-4o-2024-08-06", null, Instant.EPOCH).orElseThrow().price());
        }
        assertTrue(Files.readString(output).contains("\"description\":\"The flagship\\nmodel\""));
    }

    @Test
    void aPackageWithoutProviderDataFailsTheBuild() throws IOException {
        Path pack = pack("const E=[{id:\"not a provider\"}];function f(){return[{a:1}]}");

        String message = assertThrows(IllegalStateException.class,
                () -> GenAiPricesImport.importPackage(pack, "2026-09-23", dir.resolve("out.json"))).getMessage();
        assertEquals("dist/index.cjs holds no list of providers with models: has the package's layout changed?", message);
    }

    private Path pack(String script) throws IOException {
        Path pack = dir.resolve("package");
        Files.createDirectories(pack.resolve("dist"));
        Files.writeString(pack.resolve("package.json"),
                "{\"name\":\"@pydantic/genai-prices\",\"version\":\"0.1.8\",\"license\":\"MIT\"}");
        Files.writeString(pack.resolve(GenAiPricesImport.DATA_FILE), script);
        return pack;
    }
}
