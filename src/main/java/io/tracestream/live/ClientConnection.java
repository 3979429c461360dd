package io.tracestream.live;

import java.io.OutputStream;

/**
 * The TCP connection under one client's stream, as far as back-pressure and writing need it: how
 * much written to it the kernel has not taken yet, a way to drop it, and the response's own output
 * stream. Payara offers no API for the first two, so the server's implementation reaches into
 * Grizzly ({@link GrizzlyConnection}); tests give their own.
 */
public interface ClientConnection {

    /**
     * The servlet response's output, for frames written without the JAX-RS event sink once the
     * sink has sent the response's head ({@link SseChannel}); {@code null} when there is none.
     */
    default OutputStream output() {
        return null;
    }

    /** Bytes written but not yet taken by the kernel; 0 when that cannot be known. */
    int unsentBytes();

    /** Closes the connection at once, dropping whatever is queued for it. */
    void terminate();
}
