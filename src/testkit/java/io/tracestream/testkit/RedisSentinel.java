package io.tracestream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code redis-server --sentinel} process on a free port watching one master, as production
 * runs three of them: {@code sentinel monitor <name> 127.0.0.1 <port> <quorum>}, with short
 * timeouts so a test's failover takes seconds. Its config file is its own (a sentinel rewrites it
 * with what it learns: replicas, other sentinels, the new master after a failover).
 */
public final class RedisSentinel implements AutoCloseable {

    /** A master is down for a sentinel after this long without an answer. */
    public static final Duration DOWN_AFTER = Duration.ofMillis(1000);
    /** How long a failover may take before another sentinel tries again. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofMillis(5000);

    private final int port;
    private final Path dir;
    private Process process;

    private RedisSentinel(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a sentinel watching {@code master} under {@code masterName}, with {@code quorum}
     * sentinels needed to agree it is down ({@code sentinel auth-pass} its password, when it has one).
     */
    public static RedisSentinel start(RedisServer master, String masterName, int quorum) {
        return start(master, masterName, quorum, null);
    }

    /**
     * As {@link #start(RedisServer, String, int)}, the sentinel itself protected by {@code password}
     * ({@code requirepass}, and {@code sentinel sentinel-pass} so sentinels sharing it talk to each
     * other); null for none.
     */
    public static RedisSentinel start(RedisServer master, String masterName, int quorum, String password) {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sentinel-");
            RedisSentinel sentinel = new RedisSentinel(FreePorts.next(), dir);
            List<String> conf = new ArrayList<>(List.of("port " + sentinel.port, "bind 127.0.0.1", "dir " + dir,
                    "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " " + quorum,
                    "sentinel down-after-milliseconds " + masterName + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + masterName + " " + FAILOVER_TIMEOUT.toMillis()));
            if (master.options().password() != null) {
                conf.add("sentinel auth-pass " + masterName + " " + master.options().password());
            }
            if (password != null) {
                conf.add("requirepass " + password);
                conf.add("sentinel sentinel-pass " + password);
            }
            Path file = dir.resolve("sentinel.conf");
            Files.write(file, conf);
            Path log = dir.resolve("sentinel.log");
            sentinel.process = RedisServer.launch(List.of(file.toString(), "--sentinel"), log);
            RedisServer.awaitPort(sentinel.process, sentinel.port, log);
            return sentinel;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as {@code tracestream.redis.sentinels} lists sentinels. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public Path log() {
        return dir.resolve("sentinel.log");
    }

    /** Stops it at once. */
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
}
