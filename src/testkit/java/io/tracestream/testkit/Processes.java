package io.tracestream.testkit;

/** What the servers the tests start share about their processes. */
final class Processes {

    private Processes() {}

    /** Ends the process at once, as a crash would ({@code kill -9}), and waits until it is gone. */
    static void killAndWait(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
