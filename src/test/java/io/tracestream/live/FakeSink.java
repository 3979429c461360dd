package io.tracestream.live;

import io.tracestream.testkit.SseParser;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A client's end of a stream, without a server: keeps every frame's bytes as they would reach the wire. */
final class FakeSink implements SseEventSink {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private int frames;
    private boolean closed;

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        SseFrame frame = (SseFrame) event;
        frame.parts().forEach(wire::writeBytes);
        frame.written(); // as Jersey does: on the sending thread, when nothing else is being written
        frames++;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Everything written so far, as text. */
    String text() {
        return wire.toString(StandardCharsets.UTF_8);
    }

    /** Everything written so far, as SSE messages. */
    List<SseParser.Message> messages() {
        return SseParser.parse(text());
    }

    /** How many writes reached the client. */
    int frames() {
        return frames;
    }
}
