package io.tracestream.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dashboards that come and go: opens a stream of a trace on an instance, reads its first bytes and
 * closes it, many times over. An instance that has served streams for a while has its stream path
 * compiled by the JIT; a test of a cluster that "has been running" needs its instances in that
 * state, not spending the scenario's seconds compiling.
 */
final class StreamWarmup {

    private static final int PARALLEL = 8;

    private StreamWarmup() {
    }

    /** Opens and closes {@code count} streams of {@code trace} on {@code instance}; answers how many answered 200. */
    static int openAndClose(Instance instance, String trace, int count) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        AtomicInteger ok = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < PARALLEL; t++) {
                int share = count / PARALLEL + (t < count % PARALLEL ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        if (openOnce(instance.port(), trace, i % 2 == 1)) {
                            ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("stream warm-up failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        return ok.get();
    }

    /**
     * One stream: the status line and headers, then the first frame, then the connection is closed.
     * Every other one resumes (Last-Event-ID 1-0, before any real id), as a reconnecting client does.
     */
    private static boolean openOnce(int port, String trace, boolean resume) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /traces/" + trace + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (resume ? "Last-Event-ID: 1-0\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            StringBuilder seen = new StringBuilder();
            // Headers end with a blank line; the first SSE frame (the retry hint, at least) with another.
            while (countBlankLines(seen) < 2) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return seen.toString().startsWith("HTTP/1.1 200");
        }
    }

    private static int countBlankLines(CharSequence s) {
        String text = s.toString().replace("\r\n", "\n");
        int n = 0;
        for (int at = text.indexOf("\n\n"); at >= 0; at = text.indexOf("\n\n", at + 2)) {
            n++;
        }
        return n;
    }
}
