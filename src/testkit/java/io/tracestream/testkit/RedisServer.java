package io.tracestream.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A real {@code redis-server} process on a free port, started by the test suite or the benchmark
 * so it can also be stopped and restarted. Uses {@code TRACESTREAM_REDIS_URL} instead when that is
 * set and the test does not need to control the server.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static RedisServer shared;

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "redis-");
    }

    /** A server the test owns: it may stop and restart it. */
    public static RedisServer startNew() {
        try {
            RedisServer server = new RedisServer(freePort());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Redis URL shared by the tests that only read and write: TRACESTREAM_REDIS_URL or our own. */
    public static synchronized String sharedUrl() {
        String fromEnv = System.getenv("TRACESTREAM_REDIS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        if (shared == null) {
            shared = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared.url();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process id, for CPU accounting; -1 when it is not running. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** What {@code redis-server --version} says. */
    public static String version() {
        try {
            Process p = new ProcessBuilder(findRedisServer(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    public synchronized void start() {
        String binary = findRedisServer();
        try {
            process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + binary, e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not open port " + port + "; see " + dir.resolve("redis.log"));
    }

    /** Stops the server at once, as a crash would (streams are lost: no persistence). */
    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Debian's redis-server when installed, else the static binary shipped in org.signal:embedded-redis. */
    private static synchronized String findRedisServer() {
        for (String candidate : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        String resource = "/redis-server-" + SHIPPED_REDIS_VERSION + "-linux-" + arch;
        Path target = Path.of(System.getProperty("java.io.tmpdir"), resource.substring(1));
        if (Files.isExecutable(target)) {
            return target.toString();
        }
        try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("redis-server not found: install Debian's redis-server package "
                        + "or keep org.signal:embedded-redis on the test classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setExecutable(true);
            return target.toString();
        } catch (IOException e) {
            throw new IllegalStateException("Could not unpack " + resource, e);
        }
    }

    private static final String SHIPPED_REDIS_VERSION = "7.0.15";

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
