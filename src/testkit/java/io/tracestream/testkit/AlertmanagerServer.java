package io.tracestream.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real Alertmanager ({@code prometheus-alertmanager}, Debian's package) on a free port, started by
 * a test so it can also stop and restart it (on the same port). Alone: no cluster (gossip off), its
 * silences and notification log in a temp folder, one receiver that notifies nobody. Ready once
 * {@code GET /-/ready} answers 200.
 */
public final class AlertmanagerServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 100;
    private static final List<String> BINARIES = List.of("/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager",
            "/usr/local/bin/alertmanager");
    /**
     * Routes everything to a receiver without integrations; group_wait short so that what a test
     * posts is grouped (and shows in {@code /api/v2/alerts/groups}) at once.
     */
    private static final String CONFIG = """
            route:
              receiver: nobody
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: nobody
            """;

    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private Process process;

    private AlertmanagerServer(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "alertmanager-");
    }

    /** A server the test owns: it may stop and restart it. */
    public static AlertmanagerServer startNew() {
        try {
            AlertmanagerServer server = new AlertmanagerServer(FreePorts.next());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where it listens: {@code http://127.0.0.1:<port>}; the same after a restart. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The folder of its {@code alertmanager.yml}, {@code alertmanager.log} and {@code data/}. */
    public Path dir() {
        return dir;
    }

    /** What {@code alertmanager --version} says (its first line). */
    public static String version() {
        try {
            Process p = new ProcessBuilder(binary(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Starts the process (again, after {@link #stop}: same port and folder, so it reloads the
     * silences and notification log it saved, but not the alerts: Alertmanager keeps those in memory).
     */
    public synchronized void start() {
        Path config = dir.resolve("alertmanager.yml");
        Path log = dir.resolve("alertmanager.log");
        try {
            Files.writeString(config, CONFIG);
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + config, e);
        }
        List<String> command = List.of(binary(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                // Empty: no cluster, so no gossip port to collide with other tests or instances.
                "--cluster.listen-address=",
                "--log.level=debug");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + command.get(0), e);
        }
        awaitReady(log);
    }

    private void awaitReady(Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("alertmanager was not ready on port " + port + " within " + START_TIMEOUT + "; see " + log);
    }

    /** {@code GET /api/v2/alerts}: the alerts it holds that have not resolved (its default filter). */
    public JsonArray alerts() {
        return getJsonArray("/api/v2/alerts");
    }

    /** {@code GET /api/v2/alerts?<query>}, such as {@code filter=trace_id%3D%22t1%22}. */
    public JsonArray alerts(String query) {
        return getJsonArray("/api/v2/alerts?" + query);
    }

    /**
     * {@code GET /metrics}, Alertmanager's own: {@code alertmanager_alerts_received_total{status="resolved"}}
     * tells a resolution posted from an alert that merely expired.
     */
    public String metrics() {
        try {
            return get("/metrics").body();
        } catch (IOException e) {
            throw new IllegalStateException("GET /metrics failed", e);
        }
    }

    private JsonArray getJsonArray(String pathAndQuery) {
        try {
            HttpResponse<String> r = get(pathAndQuery);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
            }
            try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                return reader.readArray();
            }
        } catch (IOException e) {
            throw new IllegalStateException("GET " + pathAndQuery + " failed", e);
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops the server at once, as a crash would ({@code kill -9}): the alerts it held are gone. */
    public synchronized void stop() {
        if (process != null) {
            Processes.killAndWait(process);
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static String binary() {
        for (String candidate : BINARIES) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException("alertmanager not found (" + BINARIES + "): install Debian's prometheus-alertmanager");
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
