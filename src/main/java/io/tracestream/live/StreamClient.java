package io.tracestream.live;

/**
 * The client at the other end of one stream, as the live engine sees it: where frames go, how much
 * of them the client has not taken yet, and the two ways a stream ends. Like Mercure's subscriber
 * and transport, the engine knows nothing of the protocol under it; the HTTP edge implements this
 * over a Server-Sent Events response.
 *
 * <p>The engine calls {@link #send} from one task at a time per stream; {@link #close} and
 * {@link #abort} may come from any thread, at most once each.
 */
public interface StreamClient {

    /**
     * Hands the frame's bytes to the client's connection, in one write, without waiting for the
     * client to take them.
     *
     * @return false when the client is gone (the write failed): the stream ends
     */
    boolean send(SseFrame frame);

    /** Bytes sent but not yet taken by the client; 0 when that cannot be known. */
    int unsentBytes();

    /** Ends the stream the ordinary way: what was sent goes out first. */
    void close();

    /** Drops the client at once, with whatever is still queued for it: it stopped reading. */
    void abort();

    /**
     * Asks to be told when the client leaves on its own (its connection closed), so the stream
     * ends at once rather than at its next write; told at once if it has left already.
     */
    void onLeft(Runnable left);
}
