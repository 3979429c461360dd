package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Which road a frame takes: the JAX-RS sink until it has sent the response's head, then the response's output. */
class SseChannelTest {

    private static final StreamSettings SETTINGS = new StreamSettings(1000, 0, 0, 65_536, 3, 5000, 2, 0);

    private final FakeConnection connection = new FakeConnection();
    private final ByteArrayOutputStream direct = new ByteArrayOutputStream();
    private final List<Boolean> closedAsSlow = new ArrayList<>();

    @Test
    void framesGoStraightToTheResponseOnceTheSinkHasWrittenTheFirst() {
        FakeSink sink = new FakeSink();
        connection.output = direct;
        SseChannel channel = channel(sink);

        assertEquals(SseChannel.Sent.SENT, channel.send(frame("a")));
        assertEquals(SseChannel.Sent.SENT, channel.send(frame("b")));
        assertEquals(SseChannel.Sent.SENT, channel.send(frame("c")));

        assertEquals(1, sink.frames(), "the first frame sends the head through the sink");
        assertEquals("data: b\n\ndata: c\n\n", direct.toString(StandardCharsets.UTF_8));
    }

    @Test
    void framesStayWithTheSinkWhileAnotherThreadWritesItsQueue() throws Exception {
        DeferredSink sink = new DeferredSink();
        connection.output = direct;
        SseChannel channel = channel(sink);

        channel.send(frame("a")); // queued: Jersey has not taken the response over yet
        Thread jersey = new Thread(sink::writeQueued);
        jersey.start();
        jersey.join();
        channel.send(frame("b"));

        assertEquals(2, sink.sent.size(), "written by another thread, which may still be flushing");
        assertEquals("", direct.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAnOutputEveryFrameGoesThroughTheSink() {
        FakeSink sink = new FakeSink();
        SseChannel channel = channel(sink);

        channel.send(frame("a"));
        channel.send(frame("b"));

        assertEquals(2, sink.frames());
    }

    @Test
    void aClientGoneWhileWrittenToDirectlyEndsTheStreamOnce() {
        FakeSink sink = new FakeSink();
        connection.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Connection reset by peer");
            }
        };
        SseChannel channel = channel(sink);
        channel.send(frame("a"));

        assertEquals(SseChannel.Sent.CLOSED, channel.send(frame("b")));
        assertEquals(SseChannel.Sent.CLOSED, channel.send(frame("c")));
        assertTrue(channel.isClosed());
        assertTrue(sink.isClosed(), "the sink ends the response it opened");
        assertEquals(List.of(false), closedAsSlow);
    }

    private SseChannel channel(jakarta.ws.rs.sse.SseEventSink sink) {
        return new SseChannel(sink, connection, SETTINGS, Instant.MAX, closedAsSlow::add);
    }

    private static SseFrame frame(String data) {
        SseFrame frame = new SseFrame();
        frame.add(SseFrame.event(null, null, data));
        return frame;
    }

    /** A sink that writes what it is given later, as Jersey does before the resource method has returned. */
    private static final class DeferredSink extends FakeSinkBase {
        final List<SseFrame> sent = new ArrayList<>();

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            sent.add((SseFrame) event);
            return CompletableFuture.completedFuture(null);
        }

        void writeQueued() {
            sent.forEach(SseFrame::written);
        }
    }

    private abstract static class FakeSinkBase implements jakarta.ws.rs.sse.SseEventSink {
        private boolean closed;

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
