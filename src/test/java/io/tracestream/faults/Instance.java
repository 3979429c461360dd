package io.tracestream.faults;

import io.tracestream.testing.Api;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Trace Stream server: the built WAR in a plain Payara Micro process (no Arquillian), on a
 * free port, with its own {@code -D} settings, log file and {@code --rootdir} under target/.
 * The test can kill it ({@code kill -9}), stop it gracefully (SIGTERM) and read its metrics.
 */
final class Instance {

    /** Every process any test started, so a shutdown hook can kill what a failed test left. */
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly), "kill-payara"));
    }

    private final String name;
    private final int port;
    private final Map<String, String> settings;
    private final Path log;
    private volatile Process process;
    private volatile boolean down;

    Instance(String name, Map<String, String> settings) {
        this.name = name;
        this.port = freePort();
        this.settings = new LinkedHashMap<>(settings);
        this.settings.put("tracestream.instance.id", name);
        this.log = Faults.targetDir().resolve("payara-" + name + ".log");
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The instance as the harness's "load balancer" sees it: false once killed or stopped. */
    boolean isUp() {
        return !down && process != null && process.isAlive();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
    }

    Api api() {
        try {
            return new Api(new URL("http://127.0.0.1:" + port + "/"));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the process; returns at once (see {@link #awaitReady}). */
    void start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-Djava.io.tmpdir=" + Faults.targetDir());
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", Faults.microJar().toString(), "--deploy", Faults.war().toString(),
                "--contextroot", "/", "--port", Integer.toString(port), "--nocluster",
                "--rootdir", Faults.targetDir().resolve("payara-" + name).toString()));
        try {
            deleteTree(Faults.targetDir().resolve("payara-" + name)); // a fresh runtime dir, not one from an earlier run
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start Payara Micro " + name, e);
        }
        ALL.add(process);
        down = false;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the log's tail otherwise. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("instance " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (status("/health/ready") == 200) {
                return;
            }
            Faults.sleep(250);
        }
        throw new AssertionError("instance " + name + " not ready within " + timeout + ":\n" + logTail());
    }

    /** HTTP status of a GET, or -1 when nothing answers (connection refused, timeout). */
    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String get(String path) {
        return get(path, Duration.ofSeconds(5));
    }

    String get(String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(name + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A metric of this instance ({@code scope} application or base), as Prometheus reads it. */
    double metric(String scope, String metric) {
        return metric(scope, metric, Duration.ofSeconds(5));
    }

    double metric(String scope, String metric, Duration timeout) {
        String text = get("/metrics?scope=" + scope, timeout);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("metric " + metric + " not in /metrics?scope=" + scope + " of " + name);
        }
        return Double.parseDouble(m.group(1));
    }

    int openStreams() {
        return (int) metric("application", "tracestream_sse_streams_open");
    }

    /** {@code kill -9}: no shutdown hook, no clean-up in Redis, connections reset. */
    void kill() {
        down = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitExit(p, Duration.ofSeconds(20));
        }
    }

    /** SIGTERM: Payara shuts down gracefully. Returns how long the process took to exit. */
    Duration terminate(Duration timeout) {
        down = true;
        Process p = process;
        long started = System.nanoTime();
        p.destroy();
        if (!waitExit(p, timeout)) {
            p.destroyForcibly();
            waitExit(p, Duration.ofSeconds(10));
            throw new AssertionError("instance " + name + " did not exit within " + timeout + " of SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** A thread dump ({@code jcmd <pid> Thread.print}), saved under target/ too. */
    String threadDump(String label) {
        return jcmd("threads-" + name + "-" + label + ".txt", Duration.ofSeconds(30), "Thread.print");
    }

    /** The top of a class histogram ({@code jcmd <pid> GC.class_histogram}): what fills the heap. Saved under target/. */
    String histogram(String label, int lines) {
        String text = jcmd("histogram-" + name + "-" + label + ".txt", Duration.ofSeconds(30), "GC.class_histogram");
        return text.lines().limit(lines).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Whether the instance's log mentions {@code text} (e.g. OutOfMemoryError). */
    boolean logContains(String text) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks the JVM for a full GC ({@code jcmd <pid> GC.run}), so heap figures show what is retained. */
    void gc() {
        jcmd("gc-" + name + ".txt", Duration.ofSeconds(30), "GC.run");
    }

    /** Runs {@code jcmd <pid> args} into target/{@code file}, giving up after {@code timeout}; answers its output. */
    private String jcmd(String file, Duration timeout, String... args) {
        Path out = Faults.targetDir().resolve(file);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(args));
        try {
            Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!jcmd.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                jcmd.destroyForcibly();
                return "jcmd " + String.join(" ", args) + " did not finish within " + timeout;
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "jcmd failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "jcmd interrupted";
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process if it still runs; for clean-up. */
    void destroy() {
        Process p = process;
        if (p != null && p.isAlive()) {
            down = true;
            p.destroy();
            if (!waitExit(p, Duration.ofSeconds(15))) {
                p.destroyForcibly();
                waitExit(p, Duration.ofSeconds(10));
            }
        }
        if (p != null) {
            ALL.remove(p);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean waitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + ":" + port;
    }
}
