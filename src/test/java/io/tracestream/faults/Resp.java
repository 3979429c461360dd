package io.tracestream.faults;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * A raw RESP2 connection to Redis, for looking at what the servers left there (XINFO GROUPS,
 * XLEN, XRANGE, MEMORY USAGE) without a client library. One command at a time; a new socket per
 * command, so it survives Redis restarts, and follows a master that moved (the port is asked
 * for each command).
 */
public final class Resp {

    private final IntSupplier port;
    private final String password;

    public Resp(int port) {
        this(() -> port, null);
    }

    /**
     * @param port     asked before each command: a fixed port, or where Sentinel says the master is
     * @param password sent with {@code AUTH} first; null for none
     */
    Resp(IntSupplier port, String password) {
        this.port = port;
        this.password = password;
    }

    /** Runs one command; answers a String, Long, List (nested) or null; a Redis error throws. */
    public synchronized Object call(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port.getAsInt()), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                send(out, "AUTH", password);
                read(in);
            }
            send(out, args);
            return read(in);
        } catch (IOException e) {
            throw new IllegalStateException("redis " + String.join(" ", args) + ": " + e, e);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(b);
            request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(request.toByteArray());
        out.flush();
    }

    public long number(String... args) {
        Object o = call(args);
        return o == null ? 0 : (Long) o;
    }

    /** {@code XINFO GROUPS key}: group name to its fields (pending, lag, ...); empty if no such key. */
    Map<String, Map<String, Object>> groups(String key) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        if (number("EXISTS", key) == 0) {
            return groups;
        }
        for (Object g : (List<?>) call("XINFO", "GROUPS", key)) {
            Map<String, Object> fields = pairs((List<?>) g);
            groups.put((String) fields.get("name"), fields);
        }
        return groups;
    }

    /** {@code XINFO CONSUMERS key group}: consumer name to its fields (pending, idle, ...). */
    Map<String, Map<String, Object>> consumers(String key, String group) {
        Map<String, Map<String, Object>> consumers = new LinkedHashMap<>();
        for (Object c : (List<?>) call("XINFO", "CONSUMERS", key, group)) {
            Map<String, Object> fields = pairs((List<?>) c);
            consumers.put((String) fields.get("name"), fields);
        }
        return consumers;
    }

    /** The ids of a stream, oldest first ({@code XRANGE key - +}). */
    List<String> ids(String key) {
        List<String> ids = new ArrayList<>();
        for (Object entry : (List<?>) call("XRANGE", key, "-", "+")) {
            ids.add((String) ((List<?>) entry).get(0));
        }
        return ids;
    }

    /** One field of every entry of a stream, oldest first. */
    List<String> field(String key, String field) {
        List<String> values = new ArrayList<>();
        for (Object entry : (List<?>) call("XRANGE", key, "-", "+")) {
            Map<String, Object> f = pairs((List<?>) ((List<?>) entry).get(1));
            values.add((String) f.get(field));
        }
        return values;
    }

    /** The process id of the redis-server, from {@code INFO server}. */
    long processId() {
        String info = (String) call("INFO", "server");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("process_id:")) {
                return Long.parseLong(line.substring("process_id:".length()).trim());
            }
        }
        throw new IllegalStateException("no process_id in INFO server");
    }

    long usedMemory() {
        String info = (String) call("INFO", "memory");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    private static Map<String, Object> pairs(List<?> flat) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), flat.get(i + 1));
        }
        return map;
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(length);
                line(in);
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + type + " " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
