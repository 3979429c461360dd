package io.tracestream.live;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client's stream and the policy both kinds of stream follow on it: a frame is sent in one
 * write, unless the client has more than {@code max-unsent-bytes} not taken yet (then it waits:
 * writes never block); a client that stopped reading is dropped ({@link StreamClient#abort}), which
 * frees what the server queued for it; a client that left ends the stream at once; a stream ends
 * once, whoever ends it.
 */
final class SseChannel {

    /** What became of a frame handed to {@link #send}. */
    enum Sent {
        /** Handed to the client's connection. */
        SENT,
        /** Not sent: the client has not taken what was written before; try again later. */
        BEHIND,
        /** Not sent: the stream has ended. */
        CLOSED
    }

    private final StreamClient client;
    private final ClientBacklog backlog;
    private final long openedAtMillis = System.currentTimeMillis();
    private final long maxLifetimeMillis;
    /** When the stream's credential expires (epoch millis; Long.MAX_VALUE: never): it ends then too. */
    private final long endByMillis;
    /** Told once, with whether the client was dropped for falling behind. */
    private final Consumer<Boolean> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aborted;

    SseChannel(StreamClient client, StreamSettings settings, Instant endBy, Consumer<Boolean> onClose) {
        this.client = client;
        this.backlog = new ClientBacklog(client, settings.maxUnsentBytes());
        this.maxLifetimeMillis = settings.maxLifetimeMillis();
        this.endByMillis = endBy.isBefore(Instant.ofEpochMilli(Long.MAX_VALUE)) ? endBy.toEpochMilli() : Long.MAX_VALUE;
        this.onClose = onClose;
    }

    /**
     * From now on, a client that leaves ends the stream at once, not at its next write (a heartbeat
     * away), so its slots go back at once. Called once whoever is told of the end can take it.
     */
    void followClient() {
        client.onLeft(() -> close(aborted));
    }

    /** Sends the frame in one write, unless the client is behind or gone. */
    Sent send(SseFrame frame) {
        if (closed.get()) {
            return Sent.CLOSED;
        }
        if (backlog.behind()) {
            return Sent.BEHIND;
        }
        if (!client.send(frame)) {
            close(aborted);
            return Sent.CLOSED;
        }
        return closed.get() ? Sent.CLOSED : Sent.SENT;
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
        client.abort();
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
            try {
                client.close();
            } catch (RuntimeException ignored) {
                // the client is gone already
            }
            onClose.accept(slowConsumer);
        }
    }
}
