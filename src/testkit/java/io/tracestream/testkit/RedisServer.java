package io.tracestream.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} process on a free port, started by the test suite or the benchmark
 * so it can also be stopped and restarted (on the same port). Uses {@code TRACESTREAM_REDIS_URL}
 * instead when that is set and the test does not need to control the server. {@link Options} make
 * it the Redis production runs: a password or ACL user, TLS only, a replica of another server.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static RedisServer shared;

    private final int port;
    private final Path dir;
    private final Options options;
    private Process process;

    /**
     * How the server is set up, written to its {@code redis.conf}: nothing by default (no password,
     * plain TCP, a master).
     */
    public static final class Options {
        private String password;
        private final List<String> users = new ArrayList<>();
        private Path tlsCert;
        private Path tlsKey;
        private Path tlsCa;
        private String tlsAuthClients;
        private RedisServer master;

        /** {@code requirepass}: the {@code default} user's password. */
        public Options password(String password) {
            this.password = password;
            return this;
        }

        /** An ACL user allowed every key, channel and command: {@code user <name> on ><password> ~* &* +@all}. */
        public Options user(String name, String password) {
            users.add(name + " on >" + password + " ~* &* +@all");
            return this;
        }

        /**
         * TLS only: {@code port 0} and {@code tls-port} on the free port, this certificate and key,
         * client certificates checked against {@code ca} as {@code authClients} says
         * ({@code no}, {@code optional} or {@code yes}).
         */
        public Options tls(Path cert, Path key, Path ca, String authClients) {
            this.tlsCert = cert;
            this.tlsKey = key;
            this.tlsCa = ca;
            this.tlsAuthClients = authClients;
            return this;
        }

        /** {@code replicaof} that server (with {@code masterauth} its password, when it has one). */
        public Options replicaOf(RedisServer master) {
            this.master = master;
            return this;
        }

        public String password() {
            return password;
        }

        public boolean tls() {
            return tlsCert != null;
        }

        private List<String> lines(int port, Path dir) {
            List<String> conf = new ArrayList<>(List.of("bind 127.0.0.1", "save \"\"", "appendonly no", "dir " + dir));
            if (tls()) {
                conf.addAll(List.of("port 0", "tls-port " + port, "tls-cert-file " + tlsCert, "tls-key-file " + tlsKey,
                        "tls-ca-cert-file " + tlsCa, "tls-auth-clients " + tlsAuthClients));
                if (master != null) {
                    conf.add("tls-replication yes");
                }
            } else {
                conf.add("port " + port);
            }
            if (password != null) {
                conf.add("requirepass " + password);
            }
            users.forEach(u -> conf.add("user " + u));
            if (master != null) {
                conf.add("replicaof 127.0.0.1 " + master.port());
                if (master.options.password != null) {
                    conf.add("masterauth " + master.options.password);
                }
            }
            return conf;
        }
    }

    private RedisServer(int port, Options options) throws IOException {
        this.port = port;
        this.options = options;
        this.dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "redis-");
    }

    /** A server the test owns: it may stop and restart it. */
    public static RedisServer startNew() {
        return startNew(new Options());
    }

    /** A server the test owns, set up as {@code options} say. */
    public static RedisServer startNew(Options options) {
        try {
            RedisServer server = new RedisServer(FreePorts.next(), options);
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

    /** Where it listens, without credentials: {@code redis://127.0.0.1:<port>}, or {@code rediss://} for TLS. */
    public String url() {
        return (options.tls() ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    /** The port clients connect to (the TLS port when it speaks TLS only); the same after a restart. */
    public int port() {
        return port;
    }

    public Options options() {
        return options;
    }

    /** The folder of its {@code redis.conf} and {@code redis.log}. */
    public Path dir() {
        return dir;
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

    /** Starts the process (again, after {@link #stop}: same port, same settings, empty). */
    public synchronized void start() {
        Path conf = dir.resolve("redis.conf");
        try {
            // A file, not arguments: passwords stay out of the process list.
            Files.write(conf, options.lines(port, dir));
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + conf, e);
        }
        process = launch(List.of(conf.toString()), dir.resolve("redis.log"));
        awaitPort(process, port, dir.resolve("redis.log"));
    }

    /** Runs {@code redis-server <args>} with its output into {@code log}. */
    static Process launch(List<String> args, Path log) {
        String binary = findRedisServer();
        List<String> command = new ArrayList<>();
        command.add(binary);
        command.addAll(args);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + binary, e);
        }
    }

    /** Waits until {@code port} accepts connections; fails with where the log is when it does not. */
    static void awaitPort(Process process, int port, Path log) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not open port " + port + "; see " + log);
    }

    /** Stops the server at once, as a crash would ({@code kill -9}: streams are lost, no persistence). */
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

    /** Debian's redis-server when installed, else the static binary shipped in org.signal:embedded-redis. */
    static synchronized String findRedisServer() {
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


    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
