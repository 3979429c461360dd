package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.testing.Api;
import io.tracestream.testing.Keys;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that closes its stream gives its slots back at once, not at the server's next write to
 * it: a page reloaded by a key at its {@code max_streams}, or on an instance at its
 * {@code max-connections}, gets its stream again instead of 429 / 503.
 *
 * <p>The heartbeat is a minute, so no write to the departed client can be what frees the slot;
 * each client reads everything the server sent before closing, so its close is a plain FIN (a
 * close with unread bytes would be a reset), as a browser's reload is.
 */
@ExtendWith(ArquillianExtension.class)
class StreamSlotReleaseIT {

    /** The guarantee is a second; the bound is wide for a slow, shared machine, and far below the heartbeat. */
    static final Duration RELEASED_WITHIN = Duration.ofSeconds(5);
    static final Duration HEARTBEAT = Duration.ofSeconds(60);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String WRITER = "writer-key-" + RUN;
    /** At most one stream at a time. */
    static final String WATCHER = "watcher-key-" + RUN;
    /** No limit of its own: only the instance's. */
    static final String READER = "reader-key-" + RUN;
    /** The instance's cap: two streams of the reader fill it, so its refusal (503) is the instance's, not a key's. */
    static final int INSTANCE_STREAMS = 2;
    static final Duration QUIET_BEFORE = Duration.ofSeconds(20);

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String keys = "[" + String.join(",",
                Keys.entry("writer", WRITER, "\"ingest\"", ""),
                Keys.entry("watcher", WATCHER, "\"read\"", "\"max_streams\":1"),
                Keys.entry("reader", READER, "\"read\"", "")) + "]";
        return TestDeployments.war(Map.of(
                "tracestream.auth.keys", keys,
                "tracestream.sse.heartbeat", HEARTBEAT.toString(),
                "tracestream.sse.max-connections", Integer.toString(INSTANCE_STREAMS)));
    }

    Api api() {
        return new Api(deployment);
    }

    /**
     * Each test starts on an instance holding no stream: the last test's final try may still be
     * giving its slot back, and each test counts on the instance's cap.
     */
    @BeforeEach
    void noStreamOpen() throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_BEFORE.toNanos();
        while (api().metric("tracestream_sse_streams_open") > 0) {
            assertTrue(System.nanoTime() < deadline, "streams of an earlier test still open after " + QUIET_BEFORE);
            Thread.sleep(100);
        }
    }

    @Test
    void aClosedTraceStreamGivesItsKeysOnlySlotBackWithinSecondsNotAtTheNextHeartbeat() throws Exception {
        String trace = storedTrace("reload");
        URI stream = api().uri("traces/" + trace + "/stream");
        try (RawStream first = RawStream.open(stream, WATCHER)) {
            assertEquals(200, first.status(), first.head());
            try (SseClient second = SseClient.open(stream, bearer(WATCHER))) {
                assertEquals(429, second.status(), "the key holds its one stream");
            }
        }
        assertReopened("the watcher's trace stream", stream, WATCHER);
    }

    @Test
    void aClosedListStreamGivesItsKeysOnlySlotBackWithinSecondsNotAtTheNextHeartbeat() throws Exception {
        URI list = api().uri("traces");
        try (RawStream first = RawStream.open(list, WATCHER)) {
            assertEquals(200, first.status(), first.head());
            try (SseClient second = SseClient.open(list, bearer(WATCHER))) {
                assertEquals(429, second.status(), "the key holds its one stream");
            }
        }
        assertReopened("the watcher's list stream", list, WATCHER);
    }

    @Test
    void aClosedStreamGivesTheInstancesSlotBackWithinSecondsNotAtTheNextHeartbeat() throws Exception {
        String trace = storedTrace("instance");
        URI stream = api().uri("traces/" + trace + "/stream");
        // The instance's slots are taken by two streams of a key without a limit of its own.
        try (RawStream first = RawStream.open(stream, READER)) {
            assertEquals(200, first.status(), first.head());
            try (RawStream second = RawStream.open(stream, READER)) {
                assertEquals(200, second.status(), second.head());
                try (SseClient third = SseClient.open(stream, bearer(READER))) {
                    assertEquals(503, third.status(), "the instance holds its " + INSTANCE_STREAMS + " streams");
                }
            }
        }
        assertReopened("the reader's stream on a full instance", stream, READER);
    }

    /** A trace with one stored event, so that its stream opens and sends it. */
    private String storedTrace(String name) {
        String trace = name + "-" + RUN;
        HttpResponse<String> stored = api().post("traces/" + trace + "/events",
                "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}", bearer(WRITER));
        assertEquals(202, stored.statusCode(), stored.body());
        return trace;
    }

    /**
     * Opens the stream again and again until it opens, and fails unless it did within
     * {@link #RELEASED_WITHIN}; each try closes at once (its own slot comes back by the same road).
     */
    private void assertReopened(String what, URI stream, String key) throws InterruptedException {
        long closedAt = System.nanoTime();
        long deadline = closedAt + RELEASED_WITHIN.toNanos();
        while (true) {
            int last;
            try (SseClient again = SseClient.open(stream, bearer(key))) {
                last = again.status();
            }
            long waited = System.nanoTime() - closedAt;
            if (last == 200) {
                // The measured figure, for the record (the report of a run): how soon the slot came back.
                System.out.printf("%s opened again %d ms after the client closed%n", what, waited / 1_000_000);
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(what + ": still refused (" + last + ") " + waited / 1_000_000 + " ms after the client closed:"
                        + " its slot is held until a write to the departed client fails");
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    /**
     * A stream opened on a plain socket: it reads the head and what the server sends on opening, and
     * its {@link #close} is the socket's, with nothing unread, so the server sees a FIN.
     */
    private static final class RawStream implements AutoCloseable {

        /** Quiet this long after the first message: the server sent what it sends on opening. */
        private static final int QUIET_MILLIS = 300;
        private static final Duration OPENING = Duration.ofSeconds(20);

        private final Socket socket;
        private final String received;

        private RawStream(Socket socket, String received) {
            this.socket = socket;
            this.received = received;
        }

        static RawStream open(URI uri, String key) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                        + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return new RawStream(socket, readOpening(socket));
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        /** Up to the first whole message (a blank line after the head), then whatever follows until quiet. */
        private static String readOpening(Socket socket) throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + OPENING.toNanos();
            socket.setSoTimeout(500);
            while (!firstMessageIn(got.toString(StandardCharsets.UTF_8))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no message within " + OPENING + ": " + got.toString(StandardCharsets.UTF_8));
                }
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return got.toString(StandardCharsets.UTF_8); // a refusal, answered and closed
                    }
                    got.write(buffer, 0, n);
                } catch (SocketTimeoutException notYet) {
                    // the stream is being opened
                }
            }
            socket.setSoTimeout(QUIET_MILLIS);
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    got.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException quiet) {
                // all of the opening is read: nothing is left unread at the close
            }
            return got.toString(StandardCharsets.UTF_8);
        }

        private static boolean firstMessageIn(String text) {
            int body = text.indexOf("\r\n\r\n");
            return body >= 0 && (!text.startsWith("HTTP/1.1 200") || text.indexOf("\n\n", body + 4) >= 0);
        }

        int status() {
            return received.startsWith("HTTP/1.1 ") ? Integer.parseInt(received.substring(9, 12)) : -1;
        }

        String head() {
            int end = received.indexOf("\r\n\r\n");
            return end < 0 ? received : received.substring(0, end);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
