package io.tracestream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One Trace Stream instance: the built WAR in Payara Micro, as a child process. */
final class Instance {

    final String name;
    final int port;
    final Process process;
    final long pid;
    final Path log;

    private Instance(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.pid = process.pid();
        this.log = log;
    }

    static Instance start(String name, Path target, Path work, String redisUrl, String heap, List<String> extraJvm)
            throws IOException {
        int port = Procs.freePort();
        Path tmp = work.resolve("tmp-" + name);
        Files.createDirectories(tmp);
        List<String> cmd = new ArrayList<>(List.of(Procs.JAVA, heap,
                "-Djava.io.tmpdir=" + tmp,
                "-Dtracestream.redis.url=" + redisUrl,
                "-Dtracestream.instance.id=bench-" + name,
                "-Dtracestream.log.format=plain",
                "-Dtracestream.sse.max-connections=19500"));
        cmd.addAll(extraJvm);
        cmd.addAll(List.of("-jar", target.resolve("payara-micro.jar").toString(),
                "--deploy", target.resolve("trace-stream.war").toString(),
                "--contextroot", "/", "--port", Integer.toString(port), "--nocluster"));
        Path log = work.resolve("instance-" + name + ".log");
        return new Instance(name, port, Procs.start(cmd, log), log);
    }

    /** Waits for /health/ready; answers the seconds it took, or throws after the timeout. */
    double awaitReady(long startedNanos, int timeoutSeconds) throws IOException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        try (HttpConn http = new HttpConn("127.0.0.1", port)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("instance " + name + " exited; see " + log);
                }
                if (Procs.portOpen(port) && http.get("/health/ready") == 200) {
                    return (System.nanoTime() - startedNanos) / 1e9;
                }
                Bench.sleep(500);
            }
        }
        throw new IOException("instance " + name + " not ready after " + timeoutSeconds + " s; see " + log);
    }

    /** A gauge of /metrics?scope=application, or -1. */
    double metric(String name) {
        try (HttpConn http = new HttpConn("127.0.0.1", port)) {
            if (http.get("/metrics?scope=application") != 200) {
                return -1;
            }
            for (String line : http.bodyText().split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return -1;
    }

    void stop() {
        Procs.stop(process);
    }
}
