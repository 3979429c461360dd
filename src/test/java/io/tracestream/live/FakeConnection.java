package io.tracestream.live;

import java.io.OutputStream;

/**
 * A client's TCP connection whose unread bytes the test sets, and which remembers being dropped;
 * with an output when the test gives one.
 */
final class FakeConnection implements ClientConnection {

    volatile int unsent;
    volatile boolean terminated;
    OutputStream output;

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public int unsentBytes() {
        return unsent;
    }

    @Override
    public void terminate() {
        terminated = true;
    }
}
