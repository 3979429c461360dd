package io.tracestream.bench;

import io.tracestream.testkit.PayaraInstance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** The producers: paced (open-loop) event POSTs, closed-loop ingest, and the event bodies. */
final class Load {

    private Load() {
    }

    static final String[] TYPES = {"llm_call", "tool_call", "agent_called", "task_started", "task_completed", "message"};

    /**
     * Bytes of prompt each {@code llm_call} carries as its {@code input} (0: none), for the runs that
     * measure content-heavy calls; set before a run, read by the posting threads it starts.
     */
    static volatile int promptBytes;

    /** A prompt of about {@code bytes}: words, as a retrieved passage would be. */
    static String prompt(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 16);
        while (sb.length() < bytes) {
            sb.append("retrieved passage text ");
        }
        sb.setLength(bytes);
        return sb.toString();
    }

    private static String promptJson = "";

    /** Sets {@link #promptBytes} and the JSON members it adds to an llm_call. */
    static void carryPrompts(int bytes) {
        promptJson = bytes == 0 ? "" : ",\"input\":\"" + prompt(bytes) + "\",\"output\":\"A short answer.\"";
        promptBytes = bytes;
    }

    /** One event as a producer would send it, ~230 bytes (more with {@link #carryPrompts}), carrying its number and send time. */
    static String event(int seq, long sentNs) {
        String said = seq % TYPES.length == 0 && promptBytes > 0 ? promptJson : "";
        return "{\"event_type\":\"" + TYPES[seq % TYPES.length] + "\",\"agent_id\":\"agent-" + (seq % 7)
                + "\",\"span_id\":\"s" + seq + "\",\"parent_span_id\":\"s" + (seq / 2)
                + "\",\"model\":\"gpt-4o\",\"input_tokens\":1200,\"output_tokens\":340,\"duration_ms\":850,"
                + "\"attributes\":{\"bseq\":\"" + seq + "\",\"bns\":\"" + sentNs + "\"}" + said + "}";
    }

    static byte[] batch(int size, int firstSeq) {
        StringBuilder sb = new StringBuilder(size * 260).append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(event(firstSeq + i, 0));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String path(String trace) {
        return "/traces/" + trace + "/events";
    }

    /** What a paced run did. */
    static final class Paced {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong maxLagNs = new AtomicLong();
        final AtomicLong lateSends = new AtomicLong();
        long startNs;
        long endNs;

        double achievedRate() {
            return ok.get() / ((endNs - startNs) / 1e9);
        }
    }

    /**
     * POSTs {@code total} single events at {@code rate}/s on a fixed schedule (open loop: a slow
     * answer does not slow the schedule, up to {@code threads} outstanding). Event i goes to trace
     * i % traces with number firstSeq + i / traces; its send time is taken just before the write.
     */
    static Paced paced(List<PayaraInstance> targets, String[] traces, BitSet[] acked, int firstSeq, int rate, long total,
                       int threads, long startNs) {
        return paced(new Paced(), targets, traces, acked, firstSeq, rate, total, threads, startNs);
    }

    /** The same, filling {@code result}, which other threads may read (ok) while it runs. */
    static Paced paced(Paced result, List<PayaraInstance> targets, String[] traces, BitSet[] acked, int firstSeq, int rate,
                       long total, int threads, long startNs) {
        result.startNs = startNs;
        AtomicLong next = new AtomicLong();
        long period = 1_000_000_000L / rate;
        // Bounded in time too: a server that cannot take the rate gets fewer events, not a longer run.
        long deadline = startNs + total * period + 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            PayaraInstance target = targets.get(t % targets.size());
            Thread w = new Thread(() -> {
                try (HttpConn http = new HttpConn("127.0.0.1", target.port())) {
                    long i;
                    while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < total) {
                        long due = startNs + i * period;
                        long now;
                        while ((now = System.nanoTime()) < due) {
                            LockSupport.parkNanos(due - now);
                        }
                        long lag = now - due;
                        if (lag > 5_000_000) {
                            result.lateSends.incrementAndGet();
                        }
                        result.maxLagNs.accumulateAndGet(lag, Math::max);
                        int trace = (int) (i % traces.length);
                        int seq = firstSeq + (int) (i / traces.length);
                        byte[] body = event(seq, System.nanoTime()).getBytes(StandardCharsets.UTF_8);
                        int status = http.post(path(traces[trace]), body);
                        if (status == 202) {
                            result.ok.incrementAndGet();
                            synchronized (acked[trace]) {
                                acked[trace].set(seq);
                            }
                        } else {
                            result.errors.incrementAndGet();
                        }
                    }
                }
            }, "poster-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        join(workers);
        result.endNs = System.nanoTime();
        return result;
    }

    /** POSTs event number {@code seq} to every trace as fast as {@code threads} connections go. */
    static long postToAll(List<PayaraInstance> targets, String[] traces, BitSet[] acked, int seq, int threads) {
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + 120_000_000_000L; // a server that hangs must not hang the benchmark
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            PayaraInstance target = targets.get(t % targets.size());
            Thread w = new Thread(() -> {
                try (HttpConn http = new HttpConn("127.0.0.1", target.port())) {
                    long i;
                    while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < traces.length) {
                        int trace = (int) i;
                        int status = http.post(path(traces[trace]), event(seq, System.nanoTime())
                                .getBytes(StandardCharsets.UTF_8));
                        if (status == 202) {
                            synchronized (acked[trace]) {
                                acked[trace].set(seq);
                            }
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "seeder-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        join(workers);
        return errors.get();
    }

    /** What a closed-loop ingest run did. */
    record Ingest(long requests, long events, long errors, double seconds) {
        double requestsPerSecond() {
            return requests / seconds;
        }

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    /** As many POSTs of {@code batch} events as {@code threads} keep-alive connections manage in {@code seconds}. */
    static Ingest ingest(PayaraInstance target, String tracePrefix, int batch, int threads, double seconds) {
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String trace = tracePrefix + "-" + t;
            byte[] body = batch == 1 ? event(1, 0).getBytes(StandardCharsets.UTF_8) : batch(batch, 1);
            Thread w = new Thread(() -> {
                try (HttpConn http = new HttpConn("127.0.0.1", target.port())) {
                    while (System.nanoTime() < end) {
                        int status = http.post(path(trace), body);
                        if (status == 202) {
                            requests.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "ingest-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        join(workers);
        double took = (System.nanoTime() - start) / 1e9;
        return new Ingest(requests.get(), requests.get() * batch, errors.get(), took);
    }

    private static void join(List<Thread> workers) {
        for (Thread w : workers) {
            try {
                w.join(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
