package io.tracestream.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal keep-alive HTTP/1.1 client over one blocking socket, for loopback load: far cheaper
 * per request than java.net.http, so the client steals less CPU from the server it measures.
 */
final class HttpConn implements AutoCloseable {

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** The last response body, for callers that need it (the ingest answer). */
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

    HttpConn(String host, int port) {
        this.host = host;
        this.port = port;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    /** POSTs JSON; answers the status, or -1 on an I/O failure (the connection is reopened next time). */
    int post(String path, byte[] json) {
        return request("POST", path, json, "application/json");
    }

    /** POSTs a body of the given type; answers as {@link #post(String, byte[])} does. */
    int post(String path, byte[] body, String contentType) {
        return request("POST", path, body, contentType);
    }

    int get(String path) {
        return request("GET", path, null, null);
    }

    String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    private int request(String method, String path, byte[] payload, String contentType) {
        try {
            if (socket == null) {
                connect();
            }
            StringBuilder head = new StringBuilder(128).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
            if (payload != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (payload != null && payload.length < 8192) {
                byte[] all = new byte[h.length + payload.length];
                System.arraycopy(h, 0, all, 0, h.length);
                System.arraycopy(payload, 0, all, h.length, payload.length);
                out.write(all);
            } else {
                out.write(h);
                if (payload != null) {
                    out.write(payload);
                }
            }
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            return -1;
        }
    }

    private int readResponse() throws IOException {
        String status = line();
        if (status == null || status.length() < 12) {
            throw new IOException("no status line");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = l.substring(0, colon).trim();
            String value = l.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        body.reset();
        if (chunked) {
            while (true) {
                String size = line();
                if (size == null) {
                    throw new IOException("eof in chunk");
                }
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                        // trailers
                    }
                    break;
                }
                copy(n);
                line();
            }
        } else if (length >= 0) {
            copy(length);
        } else {
            closeAfter = true;
            in.transferTo(body);
        }
        if (closeAfter) {
            close();
        }
        return code;
    }

    private void copy(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("eof in body");
            }
            body.write(buf, 0, r);
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
