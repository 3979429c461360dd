package io.tracestream.frameworks;

import io.tracestream.testing.Api;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The fake OpenAI-compatible (and Gemini) model the frameworks run against: {@code fake-model.mjs}
 * in a Node process of its own, on a free loopback port, scripted by the agents' instructions.
 * Every answer reports 120 input and 30 output tokens, so a run's exact tokens are the number of
 * calls it served ({@link #calls}) times those.
 */
final class FakeModel implements AutoCloseable {

    static final Path SCRIPTS = Path.of("src", "test", "frameworks");
    static final String SETUP_HINT = "run `npm ci --prefix src/test/frameworks` (Node 20+ and npm must be installed)";
    static final int INPUT_TOKENS_PER_CALL = 120;
    static final int OUTPUT_TOKENS_PER_CALL = 30;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final URI url;

    private FakeModel(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    static FakeModel start() throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("node", "fake-model.mjs", "0").directory(SCRIPTS.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run node (" + e.getMessage() + "): " + SETUP_HINT, e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the fake model did not say its port: " + e, e);
        }
        if (line == null) {
            throw new AssertionError("the fake model exited at start: " + SETUP_HINT);
        }
        int port = Api.json(line).getInt("port");
        return new FakeModel(process, URI.create("http://127.0.0.1:" + port));
    }

    /** Its base URL, {@code http://127.0.0.1:<port>}: OpenAI clients append {@code /v1}, Gemini clients their own paths. */
    String url() {
        return url.toString();
    }

    /** How many model calls it has answered. */
    int calls() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url.resolve("/calls"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonObject calls = Api.json(response.body());
        return calls.getJsonArray("calls").size();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
