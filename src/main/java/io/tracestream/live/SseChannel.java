package io.tracestream.live;

import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client's Server-Sent Events channel, and the policy both kinds of stream follow on it: a
 * frame is sent in one write, unless the client has more than {@code max-unsent-bytes} not taken
 * yet (then it waits: writes never block); a client that stopped reading is dropped by closing its
 * connection, which frees what the server queued for it; a stream ends once, whoever ends it.
 *
 * <p>The first frames go through the JAX-RS event sink, which sends the response's head. Once the
 * sink has written a frame on the thread that handed it over (so that thread emptied Jersey's
 * queue and left its flush: nothing of Jersey's is left to write), later frames go straight to
 * the servlet response's output ({@link ClientConnection#output()}), the same bytes on the same
 * connection: Jersey's sink costs a queue, a request scope, a writer lookup and its own flush per
 * frame. The sink still ends the stream ({@link #close}), so Jersey closes the response it opened.
 *
 * <p>Its one lock ({@code writing}) is the last in the lock order (README.md, Architecture,
 * "Locks"): held only while a frame's bytes go to the connection, with nothing else called under it.
 */
final class SseChannel {

    /** What became of a frame handed to {@link #send}. */
    enum Sent {
        /** Handed to the server's HTTP layer. */
        SENT,
        /** Not sent: the client has not taken what was written before; try again later. */
        BEHIND,
        /** Not sent: the stream has ended. */
        CLOSED
    }

    private final SseEventSink sink;
    private final ClientConnection connection;
    private final ClientBacklog backlog;
    private final long openedAtMillis = System.currentTimeMillis();
    private final long maxLifetimeMillis;
    /** When the stream's credential expires (epoch millis; Long.MAX_VALUE: never): it ends then too. */
    private final long endByMillis;
    /** Told once, with whether the client was dropped for falling behind. */
    private final Consumer<Boolean> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aborted;
    /** The response's output, or null: frames then always go through the sink. */
    private final OutputStream output;
    /** Frames now go to {@link #output}; only read and set by the sending task. */
    private boolean direct;
    /** Held while a frame is written to {@link #output}, and taken by {@link #close} before the sink closes. */
    private final Object writing = new Object();

    SseChannel(SseEventSink sink, ClientConnection connection, StreamSettings settings, Instant endBy,
               Consumer<Boolean> onClose) {
        this.sink = sink;
        this.connection = connection;
        this.backlog = new ClientBacklog(connection, settings.maxUnsentBytes());
        this.maxLifetimeMillis = settings.maxLifetimeMillis();
        this.endByMillis = endBy.isBefore(Instant.ofEpochMilli(Long.MAX_VALUE)) ? endBy.toEpochMilli() : Long.MAX_VALUE;
        this.onClose = onClose;
        this.output = connection.output();
    }

    /** Sends the frame in one write, unless the client is behind or gone. */
    Sent send(SseFrame frame) {
        if (closed.get()) {
            return Sent.CLOSED;
        }
        if (backlog.behind()) {
            return Sent.BEHIND;
        }
        return direct ? writeDirectly(frame) : sendThroughSink(frame);
    }

    private Sent sendThroughSink(SseFrame frame) {
        if (sink.isClosed()) {
            close(false);
            return Sent.CLOSED;
        }
        try {
            sink.send(frame).whenComplete((ok, failure) -> {
                if (failure != null) {
                    close(aborted);
                }
            });
        } catch (RuntimeException e) {
            close(aborted); // the client left between the check above and the write
            return Sent.CLOSED;
        }
        // Jersey writes its queue on the thread that finds it idle, until the queue is empty; if
        // that was this thread, it has written everything it was given and is done.
        direct = output != null && frame.writtenBy() == Thread.currentThread();
        return closed.get() ? Sent.CLOSED : Sent.SENT;
    }

    private Sent writeDirectly(SseFrame frame) {
        synchronized (writing) {
            if (closed.get()) {
                return Sent.CLOSED;
            }
            try {
                for (byte[] part : frame.parts()) {
                    output.write(part);
                }
                output.flush();
                return Sent.SENT;
            } catch (IOException | RuntimeException e) {
                // the client left; closed below, outside the lock
            }
        }
        close(aborted);
        return Sent.CLOSED;
    }

    /** Since when ({@link System#nanoTime}) the client has been behind; 0 when it was not at the last look. */
    long behindSince() {
        return backlog.since();
    }

    /**
     * True once the stream has lived {@code max-lifetime} (never when that is 0), or the browser
     * session it was opened with has expired: the client then reconnects, is asked to sign in again,
     * and resumes by Last-Event-ID.
     */
    boolean lifetimeOver() {
        long now = System.currentTimeMillis();
        return now >= endByMillis || (maxLifetimeMillis > 0 && now - openedAtMillis >= maxLifetimeMillis);
    }

    /** Drops a client that stopped reading: closing its connection frees what was queued for it. */
    void abort() {
        aborted = true;
        connection.terminate();
    }

    boolean isAborted() {
        return aborted;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Ends the stream; only the first call counts. */
    void close(boolean slowConsumer) {
        if (closed.compareAndSet(false, true)) {
            synchronized (writing) {
                // A frame being written straight to the response is finished before Jersey closes it.
            }
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // the client is gone already
            }
            onClose.accept(slowConsumer);
        }
    }
}
