package io.tracestream.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP requests whose connections leave from a loopback address of their own (127.x.y.z), so the
 * server sees them as another client: what a test of per-address limits needs without starting a
 * server per client (Linux routes all of 127.0.0.0/8 to this host). Java 17's {@code HttpClient}
 * cannot choose its local address, so this speaks HTTP/1.0 on a socket: one request per
 * connection, the answer read to its end.
 */
public final class FromAddress {

    private final InetAddress local;

    private FromAddress(InetAddress local) {
        this.local = local;
    }

    /** A loopback address chosen at random, so that tests and runs against one server do not share one. */
    public static FromAddress anyLoopback() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] address = {127, (byte) random.nextInt(1, 255), (byte) random.nextInt(1, 255), (byte) random.nextInt(2, 255)};
        try {
            return new FromAddress(InetAddress.getByAddress(address));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String address() {
        return local.getHostAddress();
    }

    /** An answer: its status, its headers (names in lower case, each with all its values) and its body. */
    public record Response(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    public Response get(URI uri, Map<String, String> headers) {
        return send("GET", uri, headers, null);
    }

    public Response post(URI uri, Map<String, String> headers, String body) {
        return send("POST", uri, headers, body);
    }

    public Response send(String method, URI uri, Map<String, String> headers, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.0\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress(ipv4(uri.getHost()), uri.getPort()), 5_000);
            // A guard against a hung server, not a bound on speed: a first page render on a loaded machine took over 10 s.
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " from " + address() + ": " + e, e);
        }
    }

    /** The server's IPv4 address: a socket bound to 127.x.y.z cannot reach {@code ::1}, which "localhost" may name first. */
    private static InetAddress ipv4(String host) throws IOException {
        for (InetAddress candidate : InetAddress.getAllByName(host)) {
            if (candidate instanceof java.net.Inet4Address) {
                return candidate;
            }
        }
        throw new IOException(host + " has no IPv4 address to reach from " + "127.0.0.0/8");
    }

        private static Response parse(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("not an HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
