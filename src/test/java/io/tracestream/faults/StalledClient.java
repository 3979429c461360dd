package io.tracestream.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that opens a stream and never reads it: a raw socket with a tiny receive buffer that
 * writes the GET and then sits there, as a frozen browser tab or a stuck proxy would. The server's
 * writes to it fill the TCP window and then cannot proceed.
 */
final class StalledClient implements AutoCloseable {

    private final Socket socket;

    private StalledClient(Socket socket) {
        this.socket = socket;
    }

    static StalledClient open(Instance instance, String trace) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", instance.port()), 3000);
            socket.getOutputStream().write(("GET /traces/" + trace + "/stream HTTP/1.1\r\nHost: 127.0.0.1:" + instance.port()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new StalledClient(socket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Finally reads what the server left in the socket: true if the server closed the connection
     * (end of stream or reset) within {@code waitMillis}.
     */
    boolean closedByServer(long waitMillis) {
        long deadline = System.currentTimeMillis() + waitMillis;
        byte[] buffer = new byte[65536];
        try {
            InputStream in = socket.getInputStream();
            while (System.currentTimeMillis() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Math.min(500, deadline - System.currentTimeMillis())));
                try {
                    if (in.read(buffer) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException quiet) {
                    // nothing right now; maybe more later
                }
            }
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
