package io.tracestream.live;

import io.tracestream.testkit.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client's end of a stream, without a server: keeps every frame's bytes as they would reach the
 * wire, has as many unread bytes as the test sets, remembers being closed or dropped, and can
 * leave, saying so or silently (then only its next write finds out).
 */
final class FakeClient implements StreamClient {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private int frames;
    private Runnable onLeft;
    private boolean left;
    volatile int unsent;
    volatile boolean closed;
    volatile boolean aborted;
    /** Its connection is gone without a word: writes fail. */
    volatile boolean gone;

    @Override
    public synchronized boolean send(SseFrame frame) {
        if (gone || left) {
            return false;
        }
        frame.parts().forEach(wire::writeBytes);
        frames++;
        return true;
    }

    @Override
    public int unsentBytes() {
        return unsent;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        aborted = true;
    }

    @Override
    public void onLeft(Runnable left) {
        Runnable now = null;
        synchronized (this) {
            if (this.left) {
                now = left;
            } else {
                onLeft = left;
            }
        }
        if (now != null) {
            now.run();
        }
    }

    /** The client closes its connection, and the server hears of it. */
    void leave() {
        Runnable told;
        synchronized (this) {
            left = true;
            told = onLeft;
        }
        if (told != null) {
            told.run();
        }
    }

    /** Everything written so far, as text. */
    synchronized String text() {
        return wire.toString(StandardCharsets.UTF_8);
    }

    /** Everything written so far, as SSE messages. */
    List<SseParser.Message> messages() {
        return SseParser.parse(text());
    }

    /** How many writes reached the client. */
    synchronized int frames() {
        return frames;
    }

    boolean isClosed() {
        return closed;
    }
}
