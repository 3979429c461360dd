package io.tracestream.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start, taken below the kernel's ephemeral range. Why: a port the
 * kernel handed out as free ({@code new ServerSocket(0)}) is an ephemeral one, and between finding it
 * and the server binding it, any outgoing connection on the machine (a Redis client, an HTTP client)
 * may take it as its local port: a server once failed to start with "Address already in use". Ports
 * below the ephemeral range are never taken that way, and none is handed out twice by one JVM.
 */
public final class FreePorts {

    /** Below Linux's default ephemeral range (32768-60999), above the well-known and registered ports in common use. */
    private static final int FROM = 20_000;
    private static final int TO = 32_000;
    private static final int ATTEMPTS = 1_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /** A port nothing listens on now, and that no other caller in this JVM was given. */
    public static int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(FROM, TO);
            if (HANDED_OUT.add(port)) {
                try (ServerSocket probe = new ServerSocket(port)) {
                    return port;
                } catch (IOException inUse) {
                    // taken by another process: try another
                }
            }
        }
        throw new IllegalStateException("no free port between " + FROM + " and " + TO + " after " + ATTEMPTS + " tries");
    }
}
