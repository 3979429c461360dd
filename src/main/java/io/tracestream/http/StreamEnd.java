package io.tracestream.http;

import jakarta.servlet.ServletRequest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives a key's stream slot back once, however the stream ends. The access filter counts a stream
 * when the request arrives and leaves this on the request; the resource that opens the stream hands
 * it to the live engine, which runs it when the stream ends ({@link #handedOver} says so). A request
 * that opened no stream (a 404, a 204, a full instance) is released by the filter when it returns.
 */
final class StreamEnd implements Runnable {

    static final String ATTRIBUTE = StreamEnd.class.getName();
    private static final StreamEnd NONE = new StreamEnd(() -> { });

    private final Runnable release;
    private final AtomicBoolean ran = new AtomicBoolean();
    private volatile boolean handedOver;

    StreamEnd(Runnable release) {
        this.release = release;
    }

    /** The request's, or one that does nothing when the request was not counted. */
    static StreamEnd of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof StreamEnd end ? end : NONE;
    }

    /** The live engine holds it now and runs it when the stream ends. */
    void handedOver() {
        handedOver = true;
    }

    boolean isHandedOver() {
        return handedOver;
    }

    @Override
    public void run() {
        if (ran.compareAndSet(false, true)) {
            release.run();
        }
    }
}
