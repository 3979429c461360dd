package io.tracestream.live;

/**
 * The TCP connection under one client's stream, as far as back-pressure needs it: how much written
 * to it the kernel has not taken yet, and a way to drop it. Payara offers neither, so the server's
 * implementation reaches into Grizzly ({@link GrizzlyConnection}); tests give their own.
 */
public interface ClientConnection {

    /** Bytes written but not yet taken by the kernel; 0 when that cannot be known. */
    int unsentBytes();

    /** Closes the connection at once, dropping whatever is queued for it. */
    void terminate();
}
