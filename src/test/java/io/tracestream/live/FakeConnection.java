package io.tracestream.live;

/** A client's TCP connection whose unread bytes the test sets, and which remembers being dropped. */
final class FakeConnection implements ClientConnection {

    volatile int unsent;
    volatile boolean terminated;

    @Override
    public int unsentBytes() {
        return unsent;
    }

    @Override
    public void terminate() {
        terminated = true;
    }
}
