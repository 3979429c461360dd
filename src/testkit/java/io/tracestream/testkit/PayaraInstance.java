package io.tracestream.testkit;

import java.io.IOException;
import java.net.URI;
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
 * free port, with its own {@code -D} settings, JVM options, log file and {@code --rootdir} in a
 * work folder. The fault tests and the benchmark start instances this way; they can kill one
 * ({@code kill -9}), stop it gracefully (SIGTERM), read its metrics and look into its JVM.
 */
public class PayaraInstance {

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
    private final List<String> jvmOptions;
    private final Path work;
    private final Path microJar;
    private final Path war;
    private final Path log;
    private volatile Process process;
    private volatile boolean down;

    /**
     * @param work       where its log ({@code payara-<name>.log}), runtime folder and temporary files go
     * @param settings   Trace Stream settings, passed as {@code -D}; {@code tracestream.instance.id} is the name
     * @param jvmOptions such as {@code -Xmx256m}
     */
    public PayaraInstance(String name, Path work, Path microJar, Path war, Map<String, String> settings,
                          List<String> jvmOptions) {
        this.name = name;
        this.port = FreePorts.next();
        this.work = work;
        this.microJar = microJar;
        this.war = war;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = new LinkedHashMap<>(settings);
        this.settings.putIfAbsent("tracestream.instance.id", name);
        this.log = work.resolve("payara-" + name + ".log");
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** The instance as the harness's "load balancer" sees it: false once killed or stopped. */
    public boolean isUp() {
        return !down && process != null && process.isAlive();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
    }

    /** Starts the process; returns at once (see {@link #awaitReady}). */
    public void start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.io.tmpdir=" + work);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        Path root = work.resolve("payara-" + name);
        command.addAll(List.of("-jar", microJar.toString(), "--deploy", war.toString(),
                "--contextroot", "/", "--port", Integer.toString(port), "--nocluster", "--rootdir", root.toString()));
        try {
            Files.createDirectories(work);
            deleteTree(root); // a fresh runtime dir, not one from an earlier run
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start Payara Micro " + name, e);
        }
        ALL.add(process);
        down = false;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the log's tail otherwise. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("instance " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (status("/health/ready") == 200) {
                return;
            }
            sleep(250);
        }
        throw new AssertionError("instance " + name + " not ready within " + timeout + ":\n" + logTail());
    }

    /** HTTP status of a GET, or -1 when nothing answers (connection refused, timeout). */
    public int status(String path) {
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

    public String get(String path) {
        return get(path, Duration.ofSeconds(5));
    }

    public String get(String path, Duration timeout) {
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
    public double metric(String scope, String metric) {
        return metric(scope, metric, Duration.ofSeconds(5));
    }

    public double metric(String scope, String metric, Duration timeout) {
        String text = get("/metrics?scope=" + scope, timeout);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("metric " + metric + " not in /metrics?scope=" + scope + " of " + name);
        }
        return Double.parseDouble(m.group(1));
    }

    public int openStreams() {
        return (int) metric("application", "tracestream_sse_streams_open");
    }

    /** {@code kill -9}: no shutdown hook, no clean-up in Redis, connections reset. */
    public void kill() {
        down = true;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitExit(p, Duration.ofSeconds(20));
        }
    }

    /** SIGTERM: Payara shuts down gracefully. Returns how long the process took to exit. */
    public Duration terminate(Duration timeout) {
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
    public String threadDump(String label) {
        return jcmd("threads-" + name + "-" + label + ".txt", Duration.ofSeconds(30), "Thread.print");
    }

    /** The top of a class histogram ({@code jcmd <pid> GC.class_histogram}): what fills the heap. Saved under target/. */
    public String histogram(String label, int lines) {
        String text = jcmd("histogram-" + name + "-" + label + ".txt", Duration.ofSeconds(30), "GC.class_histogram");
        return text.lines().limit(lines).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Whether the instance's log mentions {@code text} (e.g. OutOfMemoryError). */
    public boolean logContains(String text) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Asks the JVM for a full GC ({@code jcmd <pid> GC.run}), so heap figures show what is retained. */
    public void gc() {
        jcmd("gc-" + name + ".txt", Duration.ofSeconds(30), "GC.run");
    }

    /** Runs {@code jcmd <pid> args} into target/{@code file}, giving up after {@code timeout}; answers its output. */
    private String jcmd(String file, Duration timeout, String... args) {
        Path out = work.resolve(file);
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

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills the process if it still runs; for clean-up. */
    public void destroy() {
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    @Override
    public String toString() {
        return name + ":" + port;
    }
}
