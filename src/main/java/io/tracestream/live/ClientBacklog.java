package io.tracestream.live;

/**
 * How far one client is behind on what was written to it: whether it holds more than {@code
 * max-unsent-bytes} not taken yet (then nothing more is written to it), and since when.
 */
final class ClientBacklog {

    private final StreamClient client;
    private final int maxUnsentBytes;
    /** Since when ({@link System#nanoTime}) the client has been behind; 0 when it is not. */
    private volatile long since;

    ClientBacklog(StreamClient client, int maxUnsentBytes) {
        this.client = client;
        this.maxUnsentBytes = maxUnsentBytes;
    }

    /** Looks again: true while the client has more than max-unsent-bytes not taken. */
    boolean behind() {
        if (client.unsentBytes() > maxUnsentBytes) {
            if (since == 0) {
                since = System.nanoTime();
            }
            return true;
        }
        since = 0;
        return false;
    }

    /** Since when (nanoTime) the client has been behind, as last looked at; 0 when it was not. */
    long since() {
        return since;
    }
}
