package io.tracestream.api;

/**
 * How far one client is behind on what was written to it: whether it holds more than {@code
 * max-unsent-bytes} not taken yet (then nothing more is written to it), and since when. Both kinds
 * of stream ({@link SseConnection}, {@link ListConnection}) wait on it the same way; what each does
 * with a client that stays behind is its own.
 */
final class ClientBacklog {

    private final TcpConnection tcp;
    private final int maxUnsentBytes;
    /** Since when ({@link System#nanoTime}) the client has been behind; 0 when it is not. */
    private volatile long since;

    ClientBacklog(TcpConnection tcp, int maxUnsentBytes) {
        this.tcp = tcp;
        this.maxUnsentBytes = maxUnsentBytes;
    }

    /** Looks again: true while the client has more than max-unsent-bytes not taken. */
    boolean behind() {
        if (tcp.unsentBytes() > maxUnsentBytes) {
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
