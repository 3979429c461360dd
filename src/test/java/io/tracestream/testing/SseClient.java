package io.tracestream.testing;

import io.tracestream.testkit.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain SSE client over {@link HttpClient}: it reads the wire format with the shared
 * {@link SseParser} so tests see exactly what the server wrote.
 */
public final class SseClient implements AutoCloseable {

    /** One parsed message; {@code event} is null for unnamed ones. */
    public record Message(String id, String event, String data, Long retry) {}

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::readLoop, "sse-test-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a stream; the response status and headers are available at once. */
    public static SseClient open(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        headers.forEach(request::header);
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient open(URI uri) {
        return open(uri, Map.of());
    }

    public int status() {
        return response.statusCode();
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The next {@code count} messages, or fails after {@code timeout} with what did arrive. */
    public List<Message> take(int count, Duration timeout) {
        List<Message> got = new ArrayList<>(count);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (got.size() < count) {
                Message m = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("expected " + count + " messages within " + timeout + ", got "
                            + got.size() + ": " + got);
                }
                got.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return got;
    }

    /**
     * Every message up to and including the first named {@code event} (such as {@code end}), however
     * many come before it; fails after {@code timeout} with how many arrived and the last of them.
     */
    public List<Message> takeUntil(String event, Duration timeout) {
        List<Message> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Message m = messages.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no `" + event + "` event within " + timeout + " (stream "
                            + (ended ? "closed" : "open") + "); " + got.size() + " messages before, the last "
                            + (got.isEmpty() ? "none" : brief(got.get(got.size() - 1))));
                }
                got.add(m);
                if (event.equals(m.event())) {
                    return got;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Messages that arrive within {@code wait}; for proving that nothing more comes. */
    public List<Message> drain(Duration wait) {
        sleep(wait);
        List<Message> rest = new ArrayList<>();
        messages.drainTo(rest);
        return rest;
    }

    private static String brief(Message m) {
        String data = m.data() == null || m.data().length() <= 300 ? m.data() : m.data().substring(0, 300) + "...";
        return "id " + m.id() + ", event " + m.event() + ", data " + data;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing a stream the server may have closed already
        }
        reader.interrupt();
    }

    private void readLoop() {
        SseParser parser = new SseParser(m -> messages.add(new Message(m.id(), m.event(), m.data(), m.retry())));
        byte[] buffer = new byte[8192];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                parser.bytes(buffer, 0, n);
            }
        } catch (IOException closed) {
            // the test closed the stream, or the server did
        } finally {
            ended = true;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
