package io.tracestream.bench;

import io.tracestream.testkit.SseParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Many SSE connections on one selector thread (raw non-blocking sockets, optionally bound to a
 * source address so one process can hold more than one address's ephemeral ports). Each event's
 * data carries {@code attributes.bseq} (its number within the trace) and {@code attributes.bns}
 * (System.nanoTime when the producer sent it: CLOCK_MONOTONIC, comparable across processes on
 * one Linux machine). Per connection it keeps the set of numbers received (lost and duplicated
 * events), checks that SSE ids increase, and records latencies of events sent after
 * {@link #recordFrom(long)}.
 *
 * <p>Everything per connection is touched only by the selector thread; other threads read it
 * through {@link #call(Supplier)}.
 */
final class SseClients implements AutoCloseable {

    static final class Conn {
        final String trace;
        final int traceIndex;
        final InetAddress bind;
        SocketChannel channel;
        int phase; // 0 queued, 1 connecting, 2 headers, 3 body, 4 closed
        byte[] head = new byte[1024];
        int headLen;
        boolean chunked;
        int chunkState; // 0 size, 1 data, 2 crlf, 3 extension
        long chunkSize;
        long chunkLeft;
        /** The shared SSE parser, made when the body starts. */
        SseParser parser;
        final BitSet seen = new BitSet();
        int received;
        int dups;
        int disorder;
        long lastIdMs = -1;
        long lastIdSeq = -1;
        boolean ready;
        long startNs;
        long readyNs;
        int status;

        Conn(String trace, int traceIndex, InetAddress bind) {
            this.trace = trace;
            this.traceIndex = traceIndex;
            this.bind = bind;
        }
    }

    private static final String BSEQ = "\"bseq\":\"";
    private static final String BNS = "\"bns\":\"";

    private final InetSocketAddress server;
    private final String hostHeader;
    private final Selector selector;
    private final Thread thread;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Conn> incoming = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Conn> pending = new ArrayDeque<>();
    private final List<Conn> conns = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    /** Body bytes on their way to a connection's parser; only the selector thread uses it. */
    private final byte[] scratch = new byte[256 * 1024];
    /** When the bytes being parsed were read (nanoTime): what a delivery's latency is measured to. */
    private long readAtNs;
    private volatile boolean running = true;
    private int inFlight;
    private volatile long recordFromNs = Long.MAX_VALUE;
    private Samples samples = new Samples();
    private long delivered;

    final AtomicInteger readyCount = new AtomicInteger();
    final AtomicInteger failedCount = new AtomicInteger();
    final AtomicInteger closedAfterReady = new AtomicInteger();
    final Map<String, Integer> failures = new TreeMap<>();
    volatile long firstStartNs;
    volatile long lastReadyNs;

    SseClients(String host, int port, int maxInFlight) throws IOException {
        this.server = new InetSocketAddress(host, port);
        this.hostHeader = host + ":" + port;
        this.maxInFlight = maxInFlight;
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "sse-clients-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a connection to /traces/{trace}/stream; opened by the selector thread, at most maxInFlight at a time. */
    void open(String trace, int traceIndex, InetAddress bind) {
        incoming.add(new Conn(trace, traceIndex, bind));
        selector.wakeup();
    }

    /** Latencies of events sent (bns) at or after this System.nanoTime are recorded. */
    void recordFrom(long nanoTime) {
        recordFromNs = nanoTime;
    }

    <T> T call(Supplier<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the latencies recorded so far and starts a new set. */
    Samples takeSamples() {
        return call(() -> {
            Samples s = samples;
            samples = new Samples();
            return s;
        });
    }

    long delivered() {
        return call(() -> delivered);
    }

    List<Conn> connections() {
        return conns; // read only through call()
    }

    private void loop() {
        while (running) {
            try {
                selector.select(50);
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                Conn c;
                while ((c = incoming.poll()) != null) {
                    conns.add(c);
                    pending.add(c);
                }
                startPending();
                var keys = selector.selectedKeys();
                if (keys.isEmpty()) {
                    continue;
                }
                long now = System.nanoTime();
                for (SelectionKey key : keys) {
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            finishConnect(key, conn);
                        } else if (key.isReadable()) {
                            read(key, conn, now);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(key, conn, e.getClass().getSimpleName());
                    }
                }
                keys.clear();
            } catch (IOException e) {
                if (running) {
                    System.err.println("selector failed: " + e);
                }
            }
        }
    }

    private void startPending() {
        while (inFlight < maxInFlight && !pending.isEmpty()) {
            Conn c = pending.poll();
            inFlight++;
            c.startNs = System.nanoTime();
            if (firstStartNs == 0) {
                firstStartNs = c.startNs;
            }
            try {
                SocketChannel ch = SocketChannel.open();
                c.channel = ch;
                ch.configureBlocking(false);
                if (c.bind != null) {
                    ch.bind(new InetSocketAddress(c.bind, 0));
                }
                c.phase = 1;
                if (ch.connect(server)) {
                    SelectionKey key = ch.register(selector, SelectionKey.OP_READ, c);
                    sendRequest(key, c);
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                }
            } catch (IOException e) {
                fail(null, c, "connect:" + e.getMessage());
            }
        }
    }

    private void finishConnect(SelectionKey key, Conn c) throws IOException {
        c.channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
        sendRequest(key, c);
    }

    private void sendRequest(SelectionKey key, Conn c) throws IOException {
        byte[] req = ("GET /traces/" + c.trace + "/stream HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.wrap(req);
        for (int i = 0; b.hasRemaining() && i < 1000; i++) {
            c.channel.write(b);
        }
        if (b.hasRemaining()) {
            throw new IOException("request not written");
        }
        c.phase = 2;
    }

    private void read(SelectionKey key, Conn c, long now) throws IOException {
        while (true) {
            buffer.clear();
            int n = c.channel.read(buffer);
            if (n < 0) {
                if (c.ready) {
                    closedAfterReady.incrementAndGet();
                    close(key, c);
                } else {
                    fail(key, c, c.status == 0 ? "eof" : "http " + c.status);
                }
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            consume(key, c, buffer, now);
            if (c.phase == 4) {
                return;
            }
        }
    }

    private void consume(SelectionKey key, Conn c, ByteBuffer b, long now) throws IOException {
        if (c.phase == 2) {
            while (b.hasRemaining()) {
                if (c.headLen == c.head.length) {
                    c.head = java.util.Arrays.copyOf(c.head, c.head.length * 2);
                }
                c.head[c.headLen++] = b.get();
                int l = c.headLen;
                if (l >= 4 && c.head[l - 1] == '\n' && c.head[l - 2] == '\r' && c.head[l - 3] == '\n'
                        && c.head[l - 4] == '\r') {
                    String h = new String(c.head, 0, l, StandardCharsets.ISO_8859_1);
                    c.status = Integer.parseInt(h.substring(9, 12));
                    c.chunked = h.toLowerCase().contains("transfer-encoding: chunked");
                    c.head = null;
                    if (c.status != 200) {
                        fail(key, c, "http " + c.status);
                        return;
                    }
                    c.phase = 3;
                    break;
                }
            }
        }
        if (c.phase != 3) {
            return;
        }
        if (!c.chunked) {
            int take = b.remaining();
            b.get(scratch, 0, take);
            sse(c, take, now);
            return;
        }
        while (b.hasRemaining()) {
            switch (c.chunkState) {
                case 0 -> { // size line
                    byte x = b.get();
                    if (x == '\n') {
                        if (c.chunkSize == 0) {
                            // last chunk: the server ended the stream
                            if (c.ready) {
                                closedAfterReady.incrementAndGet();
                                close(key, c);
                            } else {
                                fail(key, c, "ended");
                            }
                            return;
                        }
                        c.chunkLeft = c.chunkSize;
                        c.chunkSize = 0;
                        c.chunkState = 1;
                    } else if (x == ';') {
                        c.chunkState = 3;
                    } else if (x != '\r') {
                        c.chunkSize = c.chunkSize * 16 + Character.digit((char) x, 16);
                    }
                }
                case 3 -> { // chunk extension: skip to end of line
                    if (b.get() == '\n') {
                        c.chunkLeft = c.chunkSize;
                        c.chunkSize = 0;
                        c.chunkState = c.chunkLeft == 0 ? 0 : 1;
                    }
                }
                case 1 -> {
                    int take = (int) Math.min(c.chunkLeft, b.remaining());
                    b.get(scratch, 0, take);
                    sse(c, take, now);
                    c.chunkLeft -= take;
                    if (c.chunkLeft == 0) {
                        c.chunkState = 2;
                    }
                }
                default -> { // CRLF after the data
                    if (b.get() == '\n') {
                        c.chunkState = 0;
                    }
                }
            }
        }
    }

    /** Hands {@code length} body bytes in {@link #scratch} to the connection's SSE parser. */
    private void sse(Conn c, int length, long now) {
        if (c.parser == null) {
            c.parser = new SseParser(m -> message(c, m));
        }
        readAtNs = now;
        c.parser.bytes(scratch, 0, length);
    }

    /** One SSE message: its id must follow the last one; its data carries the load's sequence and send time. */
    private void message(Conn c, SseParser.Message m) {
        if (m.id() != null) {
            int dash = m.id().indexOf('-');
            long ms = Long.parseLong(dash < 0 ? m.id() : m.id().substring(0, dash));
            long sq = dash < 0 ? 0 : Long.parseLong(m.id().substring(dash + 1));
            if (ms < c.lastIdMs || (ms == c.lastIdMs && sq <= c.lastIdSeq)) {
                c.disorder++;
            }
            c.lastIdMs = ms;
            c.lastIdSeq = sq;
        }
        long seq = number(m.data(), BSEQ);
        if (seq >= 0) {
            event(c, (int) seq, number(m.data(), BNS), readAtNs);
        }
    }

    private void event(Conn c, int seq, long ns, long now) {
        if (c.seen.get(seq)) {
            c.dups++;
        } else {
            c.seen.set(seq);
        }
        c.received++;
        delivered++;
        if (!c.ready && seq == 0) {
            c.ready = true;
            c.readyNs = now;
            lastReadyNs = now;
            readyCount.incrementAndGet();
            inFlight--;
        }
        if (ns >= recordFromNs) {
            samples.add(now - ns);
        }
    }

    /** The digits after {@code key} in {@code data}, or -1 when the key is not there. */
    private static long number(String data, String key) {
        int at = data.indexOf(key);
        if (at < 0) {
            return -1;
        }
        long v = 0;
        for (int i = at + key.length(); i < data.length() && Character.isDigit(data.charAt(i)); i++) {
            v = v * 10 + (data.charAt(i) - '0');
        }
        return v;
    }

    private void fail(SelectionKey key, Conn c, String why) {
        if (c.phase == 4) {
            return;
        }
        if (!c.ready) {
            inFlight--;
            failedCount.incrementAndGet();
            synchronized (failures) {
                failures.merge(why, 1, Integer::sum);
            }
        } else {
            closedAfterReady.incrementAndGet();
        }
        close(key, c);
    }

    private void close(SelectionKey key, Conn c) {
        c.phase = 4;
        if (key != null) {
            key.cancel();
        }
        try {
            if (c.channel != null) {
                c.channel.close();
            }
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            call(() -> {
                for (Conn c : conns) {
                    if (c.phase != 4) {
                        c.phase = 4;
                        try {
                            if (c.channel != null) {
                                c.channel.close();
                            }
                        } catch (IOException ignored) {
                            // closing
                        }
                    }
                }
                return null;
            });
        } finally {
            running = false;
            selector.wakeup();
            try {
                thread.join(5000);
                selector.close();
            } catch (InterruptedException | IOException ignored) {
                // closing
            }
        }
    }
}
