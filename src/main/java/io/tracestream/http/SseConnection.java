package io.tracestream.http;

import io.tracestream.live.SseFrame;
import io.tracestream.live.StreamClient;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client's stream as Server-Sent Events over this server's HTTP: the live engine's {@link
 * StreamClient}, made of the JAX-RS event sink that opened the response, the servlet response's
 * own output, and the TCP connection under them ({@link GrizzlyConnection}).
 *
 * <p>The first frames go through the sink, which sends the response's head. Once the sink has
 * written a frame on the thread that handed it over (so that thread emptied Jersey's queue and left
 * its flush: nothing of Jersey's is left to write), later frames go straight to the servlet
 * response's output, the same bytes on the same connection: Jersey's sink costs a queue, a request
 * scope, a writer lookup and its own flush per frame. The sink still ends the stream ({@link
 * #close}), so Jersey closes the response it opened, and not before the request's thread has left
 * Jersey ({@link #dispatched}): a client joining a finished trace gets its whole stream (history,
 * {@code end}) at once, often while that thread is still committing the response, and a sink
 * closed then made Jersey drop what had been sent ("Response is closed"): the client got a 200
 * and not one event (RedisBackendIT, once).
 *
 * <p>Its one lock ({@code writing}) is the last in the lock order (docs/architecture.md, "Locks"):
 * held only while a frame's bytes go to the connection, with nothing else called under it.
 */
final class SseConnection implements StreamClient {

    private final SseEventSink sink;
    private final GrizzlyConnection connection;
    /** The response's output, or null: frames then always go through the sink. */
    private final OutputStream output;
    /** Frames now go to {@link #output}; only read and set by the sending task. */
    private boolean direct;
    /** Held while a frame is written to {@link #output}, and taken by {@link #close} before the sink closes. */
    private final Object writing = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Who to tell when the client leaves; {@link #LEFT} once it has. */
    private final AtomicReference<Runnable> onLeft = new AtomicReference<>();
    private static final Runnable LEFT = () -> { };
    /** Where {@link #of} leaves the connection for {@link #dispatched}. */
    private static final String ATTRIBUTE = SseConnection.class.getName();
    private static final int FOLLOWED = 1;
    private static final int DISPATCHED = 2;
    /** Which of {@link #FOLLOWED} and {@link #DISPATCHED} have happened. */
    private final AtomicInteger watch = new AtomicInteger();
    private final AtomicBoolean watched = new AtomicBoolean();
    private static final int CLOSE_ASKED = 1;
    private static final int LEFT_JERSEY = 2;
    /** Which of {@link #CLOSE_ASKED} and {@link #LEFT_JERSEY} have happened: the sink closes once both have. */
    private final AtomicInteger ending = new AtomicInteger();

    /** A stream whose sink may be closed whenever it ends (no request's thread to wait for). */
    SseConnection(SseEventSink sink, GrizzlyConnection connection, OutputStream output) {
        this(sink, connection, output, false);
    }

    /** @param awaitsDispatch the sink is closed only once {@link #dispatched} was called as well */
    SseConnection(SseEventSink sink, GrizzlyConnection connection, OutputStream output, boolean awaitsDispatch) {
        this.sink = sink;
        this.connection = connection;
        this.output = output;
        if (!awaitsDispatch) {
            ending.set(LEFT_JERSEY);
        }
    }

    /** The stream of this request; resolved on the request's thread. */
    static SseConnection of(SseEventSink sink, HttpServletRequest request, HttpServletResponse response) {
        // Only the opens that StreamOpenGate gates are told when the request's thread is done.
        SseConnection connection = new SseConnection(sink, GrizzlyConnection.of(request), outputOf(response),
                Route.of(request).stream());
        request.setAttribute(ATTRIBUTE, connection);
        return connection;
    }

    /**
     * The request's thread has left the resource and Jersey ({@link StreamOpenGate} calls this as
     * the open returns): the connection may be watched for the client's close from now on.
     */
    static void dispatched(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof SseConnection connection) {
            request.removeAttribute(ATTRIBUTE);
            connection.dispatched();
        }
    }

    /** The request's thread has left the resource and Jersey: see {@link #dispatched(ServletRequest)}. */
    void dispatched() {
        watchWhen(DISPATCHED);
        endWhen(LEFT_JERSEY);
    }

    @Override
    public boolean send(SseFrame frame) {
        return direct ? writeDirectly(frame) : sendThroughSink(frame);
    }

    private boolean sendThroughSink(SseFrame frame) {
        if (closed.get() || sink.isClosed()) { // ended: its sink may wait for the request's thread to leave Jersey
            return false;
        }
        SinkFrame event = new SinkFrame(frame);
        try {
            sink.send(event).whenComplete((ok, failure) -> {
                if (failure != null) {
                    left();
                }
            });
        } catch (RuntimeException e) {
            return false; // the client left between the check above and the write
        }
        // Jersey writes its queue on the thread that finds it idle, until the queue is empty; if
        // that was this thread, it has written everything it was given and is done.
        direct = output != null && event.writtenBy() == Thread.currentThread();
        return true;
    }

    private boolean writeDirectly(SseFrame frame) {
        synchronized (writing) {
            if (closed.get()) {
                return false;
            }
            try {
                for (byte[] part : frame.parts()) {
                    output.write(part);
                }
                output.flush();
                return true;
            } catch (IOException | RuntimeException e) {
                return false; // the client left
            }
        }
    }

    @Override
    public int unsentBytes() {
        return connection.unsentBytes();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (writing) {
                // A frame being written straight to the response is finished before Jersey closes it.
            }
            connection.forgetClose();
            endWhen(CLOSE_ASKED);
        }
    }

    /** Closes the sink once the stream has ended and the request's thread has left Jersey, whichever is last. */
    private void endWhen(int happened) {
        int before = ending.getAndAccumulate(happened, (a, b) -> a | b);
        if ((before | happened) == (CLOSE_ASKED | LEFT_JERSEY) && before != (CLOSE_ASKED | LEFT_JERSEY)) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                // The client left first ("Connection is closed"): there is nothing left to end, and
                // on the request's thread (dispatched) it must not become the request's error.
            }
        }
    }

    @Override
    public void abort() {
        connection.terminate();
    }

    /**
     * Besides a failed write, the connection's close tells ({@link GrizzlyConnection#onClose}),
     * watched once the stream holds the request and the request's thread is done with Jersey
     * ({@link #watchWhen}).
     */
    @Override
    public void onLeft(Runnable left) {
        if (!onLeft.compareAndSet(null, left)) {
            left.run(); // it has left already
            return;
        }
        watchWhen(FOLLOWED);
    }

    /**
     * Watches the connection for the client's close once both have happened: a stream follows the
     * client (a refused request's connection is left alone, to carry the client's next request as
     * usual), and the request's thread has left Jersey. Why the second: watching has the connection
     * read, so a client that closes at once is seen at once; a stream ended while Jersey was still
     * committing the response (its resource method returned, its sink not yet handed the
     * response) made Jersey log a SEVERE "Error while closing the output stream" for each such
     * client, as AccessControlIT's quick reopens showed.
     */
    private void watchWhen(int happened) {
        if (watch.accumulateAndGet(happened, (a, b) -> a | b) == (FOLLOWED | DISPATCHED)
                && watched.compareAndSet(false, true) && !closed.get()) {
            connection.onClose(this::left);
        }
    }

    private void left() {
        Runnable told = onLeft.getAndSet(LEFT);
        if (told != null && told != LEFT) {
            told.run();
        }
    }

    /** Resolved now: a JAX-RS context proxy would look the response up on a thread that has none. */
    private static OutputStream outputOf(HttpServletResponse response) {
        try {
            return response == null ? null : response.getOutputStream();
        } catch (IOException | RuntimeException e) {
            return null; // frames then go through the event sink
        }
    }
}
