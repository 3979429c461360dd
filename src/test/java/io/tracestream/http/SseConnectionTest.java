package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.live.SseFrame;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which road a frame takes: the JAX-RS sink until it has sent the response's head, then the
 * response's output; and how the live engine hears that the client left.
 */
class SseConnectionTest {

    private final ByteArrayOutputStream direct = new ByteArrayOutputStream();

    @Test
    void framesGoStraightToTheResponseOnceTheSinkHasWrittenTheFirst() {
        Sink sink = new Sink(true);
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), direct);

        assertTrue(connection.send(frame("a")));
        assertTrue(connection.send(frame("b")));
        assertTrue(connection.send(frame("c")));

        assertEquals(1, sink.sent.size(), "the first frame sends the head through the sink");
        assertEquals("data: b\n\ndata: c\n\n", direct.toString(StandardCharsets.UTF_8));
    }

    @Test
    void framesStayWithTheSinkWhileAnotherThreadWritesItsQueue() throws Exception {
        Sink sink = new Sink(false); // queued: Jersey has not taken the response over yet
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), direct);

        connection.send(frame("a"));
        Thread jersey = new Thread(sink::writeQueued);
        jersey.start();
        jersey.join();
        connection.send(frame("b"));

        assertEquals(2, sink.sent.size(), "written by another thread, which may still be flushing");
        assertEquals("", direct.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutAnOutputEveryFrameGoesThroughTheSink() {
        Sink sink = new Sink(true);
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), null);

        connection.send(frame("a"));
        connection.send(frame("b"));

        assertEquals(2, sink.sent.size());
    }

    @Test
    void aClientGoneWhileWrittenToDirectlySaysSoAndCloseEndsTheSinkOnce() {
        Sink sink = new Sink(true);
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Connection reset by peer");
            }
        };
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), broken);
        assertTrue(connection.send(frame("a")));

        assertFalse(connection.send(frame("b")));
        connection.close();
        connection.close();
        assertEquals(1, sink.closes, "the sink ends the response it opened, once");
        assertFalse(connection.send(frame("c")));
    }

    /**
     * A late client of a finished trace: its stream sends the history and the end, and ends, while
     * the request's thread is still in Jersey. Closing the sink then made Jersey drop the response
     * ("Response is closed"; RedisBackendIT's client got a 200 and no event): the sink closes once
     * that thread has left, and what was sent stays with it.
     */
    @Test
    void aStreamEndedBeforeTheRequestsThreadLeftJerseyClosesItsSinkOnlyOnceItHas() {
        Sink sink = new Sink(false);
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), null, true);
        assertTrue(connection.send(frame("history")));
        assertTrue(connection.send(frame("end")));

        connection.close();
        assertEquals(0, sink.closes, "the request's thread is still committing the response");
        assertFalse(connection.send(frame("after the end")));
        connection.dispatched();
        assertEquals(1, sink.closes);
        connection.close();
        connection.dispatched();
        assertEquals(1, sink.closes, "once");
        assertEquals(2, sink.sent.size());
    }

    @Test
    void aStreamEndedAfterTheRequestsThreadLeftJerseyClosesItsSinkAtOnce() {
        Sink sink = new Sink(true);
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), null, true);
        connection.dispatched();
        connection.close();
        assertEquals(1, sink.closes);
    }

    @Test
    void aSinkThatFailsToCloseBecauseTheClientLeftDoesNotFailTheRequestsThread() {
        Sink sink = new Sink(false);
        sink.closeFails = true;
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), null, true);
        connection.close();
        connection.dispatched();
        assertEquals(1, sink.closes);
    }

    @Test
    void aFailedSinkWriteTellsWhoFollowsTheClientOnceAndALateFollowerAtOnce() {
        Sink sink = new Sink(true);
        sink.failing = true;
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.unknown(), null);
        AtomicInteger told = new AtomicInteger();
        connection.onLeft(told::incrementAndGet);

        connection.send(frame("a"));
        connection.send(frame("b"));
        assertEquals(1, told.get());

        SseConnection left = new SseConnection(sink, GrizzlyConnection.unknown(), null);
        left.send(frame("a"));
        AtomicInteger late = new AtomicInteger();
        left.onLeft(late::incrementAndGet);
        assertEquals(1, late.get(), "it had left before anyone asked");
    }

    private static SseFrame frame(String data) {
        SseFrame frame = new SseFrame();
        frame.add(SseFrame.event(null, null, data));
        return frame;
    }

    /** Jersey's sink, writing each frame at once on the sending thread, or later when asked. */
    private static final class Sink implements SseEventSink {
        final List<SinkFrame> sent = new ArrayList<>();
        final boolean writesAtOnce;
        boolean failing;
        boolean closeFails;
        int closes;

        Sink(boolean writesAtOnce) {
            this.writesAtOnce = writesAtOnce;
        }

        @Override
        public boolean isClosed() {
            return closes > 0;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            SinkFrame frame = (SinkFrame) event;
            sent.add(frame);
            if (failing) {
                return CompletableFuture.failedFuture(new IOException("Broken pipe"));
            }
            if (writesAtOnce) {
                frame.written();
            }
            return CompletableFuture.completedFuture(null);
        }

        void writeQueued() {
            sent.forEach(SinkFrame::written);
        }

        @Override
        public void close() {
            closes++;
            if (closeFails) {
                throw new java.io.UncheckedIOException(new IOException("Connection is closed"));
            }
        }
    }
}
