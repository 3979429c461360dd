package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lints the served {@code /openapi} document, as YAML (what a plain GET gets) and as JSON, with
 * Redocly CLI under Node: an independent OpenAPI validator, so the document is checked the way
 * the tools users feed it to read it, not the way Payara wrote it. The rules are in
 * {@code src/test/openapi/redocly.yaml}; any error fails the test and prints Redocly's report.
 * Needs Node 20.19+ and {@code npm ci --prefix src/test/openapi} (run by {@code mvn verify});
 * fails, not skips, without them.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiDocumentIT {

    private static final Path CHECKER_DIR = Path.of("src", "test", "openapi");
    private static final Path REDOCLY = CHECKER_DIR.resolve(Path.of("node_modules", "@redocly", "cli", "bin", "cli.js"));
    private static final Path RULES = CHECKER_DIR.resolve("redocly.yaml");
    private static final Path OUTPUT_DIR = Path.of("target", "openapi-check");
    private static final long NODE_TIMEOUT_SECONDS = 120;
    /**
     * Payara builds the document on its first request: 10.7 s was seen on this 2-core machine under
     * load, past the 10 s that {@link Api} allows a request.
     */
    private static final Duration DOCUMENT_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String SETUP_HINT = "run `npm ci --prefix src/test/openapi` (Node 20.19+ and npm must be installed)";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.inMemory();
    }

    @ArquillianResource
    URL deployment;

    @Test
    void theServedDocumentInBothFormatsHasNoErrorForAnIndependentOpenApiLinter() throws Exception {
        if (!Files.isRegularFile(REDOCLY)) {
            fail("Redocly CLI is missing at " + REDOCLY.toAbsolutePath() + ": " + SETUP_HINT);
        }
        Files.createDirectories(OUTPUT_DIR);
        Api api = new Api(deployment);
        Path yaml = save(api, Map.of(), "openapi.yaml");
        Path json = save(api, Map.of("Accept", "application/json"), "openapi.json");

        Path report = OUTPUT_DIR.resolve("redocly-report.txt");
        List<String> command = List.of("node", REDOCLY.toString(), "lint", "--config", RULES.toString(),
                "--format=stylish", yaml.toString(), json.toString());
        int exit = runNode(command, report);
        String output = Files.readString(report, StandardCharsets.UTF_8);

        assertEquals(0, exit, () -> "Redocly found errors in /openapi (" + String.join(" ", command) + "):\n" + output
                + "\nIf Redocly is missing: " + SETUP_HINT);
        for (Path linted : List.of(yaml, json)) {
            assertTrue(output.contains(linted + ": validated"), () -> "Redocly did not lint " + linted + ":\n" + output);
        }
    }

    /**
     * Fetches the document and keeps it under target/ for the linter (and for whoever reads a
     * failure); checks it is the application's document, so a linter passing an empty one proves nothing.
     */
    private static Path save(Api api, Map<String, String> headers, String name) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.serverUri("openapi")).GET().timeout(DOCUMENT_TIMEOUT);
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(200, response.statusCode(), name + ": " + response.body());
        assertTrue(response.body().contains("/traces/{trace_id}/stream"), () -> name + " has no stream path:\n" + response.body());
        Path file = OUTPUT_DIR.resolve(name);
        Files.writeString(file, response.body(), StandardCharsets.UTF_8);
        return file;
    }

    /** Runs Node with its output (both streams) going to {@code report}, so a long report cannot block it. */
    private static int runNode(List<String> command, Path report) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(report.toFile());
        // Test runs send no usage reports and look for no newer version (there is no network here anyway).
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process node;
        try {
            node = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): " + SETUP_HINT, e);
        }
        node.getOutputStream().close();
        if (!node.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("node did not finish within " + NODE_TIMEOUT_SECONDS + " s: " + command);
        }
        return node.exitValue();
    }
}
