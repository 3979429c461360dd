package io.tracestream.bench;

import io.tracestream.testkit.PayaraInstance;
import io.tracestream.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Trace Stream benchmark: starts redis-server and instances of the built WAR in Payara Micro,
 * measures (1) the Redis floor, (2) live latency, (3) open streams, (4) ingest and (5) fan-out
 * across three instances, each beside the stack floor (a bare servlet hub on the same Payara
 * Micro, {@code hub.*} figures, measured in the same repetition), repeats, and writes
 * docs/benchmarks.md with a latency plot.
 *
 * <p>{@code mvn -B -Pbench -DskipTests package exec:exec}; add {@code -Dbench.quick=true} for a
 * short try (1 repetition, small figures). See the {@code bench} profile in pom.xml for the knobs.
 */
public final class Bench {

    static final boolean QUICK = Boolean.parseBoolean(prop("bench.quick", "false"));
    static final int REPS = Integer.parseInt(prop("bench.reps", QUICK ? "1" : "3"));
    static final int RATE = Integer.parseInt(prop("bench.rate", "2000"));
    static final int TRACES = Integer.parseInt(prop("bench.traces", "100"));
    static final int PER_TRACE = Integer.parseInt(prop("bench.per-trace", "10"));
    static final double LIVE_S = Double.parseDouble(prop("bench.live.seconds", QUICK ? "5" : "30"));
    static final double WARM_S = Double.parseDouble(prop("bench.warm.seconds", QUICK ? "3" : "10"));
    static final double SWEEP_S = Double.parseDouble(prop("bench.sweep.seconds", QUICK ? "3" : "10"));
    static final double INGEST_S = Double.parseDouble(prop("bench.ingest.seconds", QUICK ? "3" : "10"));
    /** Seconds of load before anything is measured, so the server's JIT has compiled the hot paths. */
    static final double JIT_S = Double.parseDouble(prop("bench.jit.seconds", QUICK ? "20" : "150"));
    static final int[] SWEEP_RATES = ints(prop("bench.sweep.rates", QUICK ? "1000,4000" : "500,1000,3000,4000"));
    static final int[] OPEN = ints(prop("bench.open.counts", QUICK ? "2000,4000" : "10000,19000"));
    static final Set<String> ONLY = new LinkedHashSet<>(Arrays.asList(
            prop("bench.only", "hub,floor,live,sweep,ingest,otlp,content,guards,open,profile,fanout").split(",")));
    /** The prompt each model call carries in the content runs: a RAG prompt's order of size. */
    static final int CONTENT_PROMPT_BYTES = 10_240;
    /** Extra JVM options of every server instance, comma-separated (to try a setting: -Dtracestream.redis.read-batch=50). */
    static final List<String> SERVER_OPTS = Arrays.stream(prop("bench.server.opts", "").split(","))
            .map(String::trim).filter(o -> !o.isEmpty()).toList();
    static final int POSTERS = 16;
    /** The server's heap in every run but the open-streams one. */
    static final String HEAP = "-Xmx512m";
    /** Room for 19,000 streams at what Payara and Jersey hold per suspended request (~35 kB). */
    static final String OPEN_HEAP = "-Xmx1g";
    /** Generous: an instance's start shares two cores with whatever else runs. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(420);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    static final int STREAMS_PER_HOLDER = 5000;

    private final Path target = Path.of(prop("bench.target", "target")).toAbsolutePath();
    private final Path work = target.resolve("bench");
    private final Path docs = Path.of(prop("bench.docs", "docs")).toAbsolutePath();
    final Figures fig = new Figures();
    final List<String> notes = new ArrayList<>();
    final List<String> profiles = new ArrayList<>();
    /** Redis commands per POSTed event in the last live run of each kind. */
    final java.util.Map<String, String> redisCalls = new java.util.LinkedHashMap<>();
    String histogram = "";
    private String redisUrl;
    private RedisServer redis;
    private long redisPid;
    private int traceSerial;
    private final long t0 = System.nanoTime();
    String loadBefore;
    String loadAfter;
    double startupSeconds;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("holder")) {
            Holder.main(args);
            return;
        }
        new Bench().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        Files.createDirectories(docs);
        loadBefore = loadavg();
        log("Trace Stream benchmark: " + (QUICK ? "QUICK, " : "") + REPS + " repetition(s); load " + loadBefore);
        startRedis();
        PayaraInstance a = startInstance("a");
        Path hubWar = ONLY.contains("hub") ? HubWar.write(work.resolve("bare-hub.war"), HubWar.SERVLET) : null;
        // Its JAX-RS twin serves the open-streams test only.
        Path sinkWar = ONLY.contains("hub") && ONLY.contains("open")
                ? HubWar.write(work.resolve("sink-hub.war"), HubWar.JAXRS) : null;
        PayaraInstance hub = hubWar == null ? null : startInstance("hub", HEAP, hubWar);
        try {
            if (hub != null && JIT_S > 0) {
                log("=== stack floor JIT warm-up: " + RATE / 2 + " events/s for " + Math.min(JIT_S, 60) + " s, then ingest");
                live("hub.warmup", List.of(hub), RATE / 2, 0, Math.min(JIT_S, 60), false);
                Load.ingest(hub, "hub-warm-b1", 1, 16, Math.min(JIT_S / 4, 20));
            }
            if (JIT_S > 0 && (ONLY.contains("live") || ONLY.contains("sweep") || ONLY.contains("ingest") || ONLY.contains("profile")
                    || ONLY.contains("guards"))) {
                // A server that just started spends minutes compiling (Payara is big, and 2 cores
                // give the JIT 2 threads); measured before that ends, figures say more about the
                // JIT than about Trace Stream. Half the rate for JIT_S seconds, recorded as warmup.*.
                log("=== JIT warm-up: " + RATE / 2 + " events/s to " + TRACES * PER_TRACE + " subscribers for " + JIT_S + " s, then ingest");
                live("warmup", List.of(a), RATE / 2, 0, JIT_S, false);
                Load.ingest(a, "warm-b1", 1, 16, Math.min(JIT_S / 4, 20));
                Load.ingest(a, "warm-b100", 100, 8, Math.min(JIT_S / 8, 10));
            }
            for (int rep = 1; rep <= REPS; rep++) {
                log("=== repetition " + rep + " of " + REPS);
                if (hub != null) {
                    stackFloor(hub, hubWar, sinkWar, rep);
                }
                if (ONLY.contains("floor")) {
                    floor();
                }
                if (ONLY.contains("live")) {
                    live("live", List.of(a), RATE, WARM_S, LIVE_S, true);
                }
                if (ONLY.contains("sweep")) {
                    for (int rate : SWEEP_RATES) {
                        live("sweep." + rate, List.of(a), rate, Math.min(WARM_S, 3), SWEEP_S, false);
                    }
                }
                if (ONLY.contains("ingest")) {
                    ingest(a, "", INGEST_CONFIGS);
                }
                if (ONLY.contains("otlp")) {
                    otlp(a, "otlp", 0);
                }
                if (ONLY.contains("content")) {
                    // Content-heavy calls (10 KB prompts), beside the same runs without: what a
                    // call said is kept beside its event, so live frames must not grow with it.
                    Load.carryPrompts(CONTENT_PROMPT_BYTES);
                    try {
                        live("live_content", List.of(a), RATE, WARM_S, LIVE_S, false);
                    } finally {
                        Load.carryPrompts(0);
                    }
                    otlp(a, "otlp_content", CONTENT_PROMPT_BYTES);
                }
                if (ONLY.contains("guards")) {
                    guardsOnAndOff(a, rep);
                }
                if (ONLY.contains("open")) {
                    // A fresh instance of its own: a clean memory baseline, and a failure there
                    // (an OutOfMemoryError, say) cannot spoil the other measurements.
                    PayaraInstance o = startInstance("open" + rep, OPEN_HEAP);
                    try {
                        openStreams(o, "", rep == 1, OPEN);
                    } finally {
                        o.terminate(STOP_TIMEOUT);
                    }
                }
            }
            if (ONLY.contains("profile")) {
                profile(a, hub);
            }
            if (ONLY.contains("fanout")) {
                PayaraInstance b = startInstance("b");
                PayaraInstance c = startInstance("c");
                try {
                    if (JIT_S > 0) {
                        // The two new instances compile as instance a did before its figures (see
                        // the JIT warm-up above); else the 3-instance figure says more about their
                        // JIT than about routing.
                        log("=== fan-out JIT warm-up: " + RATE / 2 + " events/s on 3 instances for " + JIT_S + " s");
                        live("fanout.warmup", List.of(a, b, c), RATE / 2, 0, JIT_S, false);
                    }
                    for (int rep = 1; rep <= REPS; rep++) {
                        log("=== fan-out repetition " + rep + " of " + REPS);
                        live("fanout", List.of(a, b, c), RATE, WARM_S, LIVE_S, true);
                    }
                } finally {
                    b.terminate(STOP_TIMEOUT);
                    c.terminate(STOP_TIMEOUT);
                }
            }
        } finally {
            if (hub != null) {
                hub.terminate(STOP_TIMEOUT);
            }
            a.terminate(STOP_TIMEOUT);
            redis.stop();
        }
        loadAfter = loadavg();
        Report report = new Report(this);
        String table = report.table();
        System.out.println();
        System.out.println(table);
        System.out.println(report.floorTable());
        Path png = docs.resolve("benchmark-latency.png");
        Plot.write(this, png);
        report.writeDoc(docs.resolve("benchmarks.md"), png.getFileName().toString());
        log("wrote " + docs.resolve("benchmarks.md") + " and " + png + " (" + Math.round(elapsed()) + " s in all)");
    }

    // ---------------------------------------------------------------- processes

    private void startRedis() {
        redis = RedisServer.startNew();
        redisPid = redis.pid();
        redisUrl = redis.url();
        log("redis-server " + redisVersion() + " at " + redisUrl);
    }

    static String redisVersion() {
        String v = RedisServer.version();
        int at = v.indexOf("v=");
        return at < 0 ? v : v.substring(at + 2, v.indexOf(' ', at));
    }

    private PayaraInstance startInstance(String name) throws IOException {
        return startInstance(name, HEAP);
    }

    private PayaraInstance startInstance(String name, String heap) {
        return startInstance(name, heap, target.resolve("trace-stream.war"));
    }

    private PayaraInstance startInstance(String name, String heap, Path war) {
        return startInstance(name, heap, war, Map.of());
    }

    private PayaraInstance startInstance(String name, String heap, Path war, Map<String, String> extra) {
        long start = System.nanoTime();
        List<String> jvm = new ArrayList<>(List.of(heap));
        jvm.addAll(SERVER_OPTS);
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of("tracestream.redis.url", redisUrl,
                "tracestream.log.format", "plain", "tracestream.sse.max-connections", "19500"));
        settings.putAll(extra);
        PayaraInstance i = new PayaraInstance("bench-" + name, work, target.resolve("payara-micro.jar"),
                war, settings, jvm);
        i.start();
        i.awaitReady(READY_TIMEOUT);
        double s = (System.nanoTime() - start) / 1e9;
        if (name.equals("a")) {
            startupSeconds = s;
        }
        log("instance " + name + " ready on port " + i.port() + " (pid " + i.pid() + ") after " + fmt(s) + " s");
        return i;
    }

    /**
     * The run guards' cost, in one repetition: the live run on instance {@code a} (guards on, the
     * default) and on an instance without them, each alone on its keys in Redis (another key
     * prefix: the once-per-event share, where the guards and the workflow metrics work, is then not
     * split between the two), the second warmed up as {@code a} was.
     */
    private void guardsOnAndOff(PayaraInstance a, int rep) throws Exception {
        live("live_guards_on", List.of(a), RATE, WARM_S, LIVE_S, false);
        PayaraInstance off = startInstance("noguards" + rep, HEAP, target.resolve("trace-stream.war"),
                Map.of("tracestream.guards.enabled", "false", "tracestream.redis.key-prefix", "noguards" + rep));
        try {
            if (JIT_S > 0) {
                live("noguards.warmup", List.of(off), RATE / 2, 0, JIT_S, false);
            }
            live("live_guards_off", List.of(off), RATE, WARM_S, LIVE_S, false);
        } finally {
            off.terminate(STOP_TIMEOUT);
        }
    }

    // ---------------------------------------------------------------- 0. the stack floor

    /**
     * The bare servlet hub under the loads Trace Stream gets, in the same repetition: live at the
     * live rate and at 1,000/s, single-event POSTs, and (on a fresh hub of its own) open streams;
     * then open streams on its JAX-RS twin ({@code sinkWar}). Their figures are {@code hub.}- and
     * {@code sinkhub.}-prefixed twins of Trace Stream's, for the ratios in the report.
     */
    private void stackFloor(PayaraInstance hub, Path hubWar, Path sinkWar, int rep) throws Exception {
        live("hub.live", List.of(hub), RATE, WARM_S, LIVE_S, false);
        live("hub.sweep.1000", List.of(hub), 1000, Math.min(WARM_S, 3), SWEEP_S, false);
        ingest(hub, "hub.", new int[][] {{1, 16}});
        if (ONLY.contains("open")) {
            PayaraInstance o = startInstance("hubopen" + rep, OPEN_HEAP, hubWar);
            try {
                openStreams(o, "hub.", false, OPEN);
            } finally {
                o.terminate(STOP_TIMEOUT);
            }
            // The same relay with JAX-RS sinks: what the API the stream endpoint is built on holds per stream.
            PayaraInstance s = startInstance("sinkopen" + rep, OPEN_HEAP, sinkWar);
            try {
                openStreams(s, "sinkhub.", false, OPEN);
            } finally {
                s.terminate(STOP_TIMEOUT);
            }
        }
    }

    // ---------------------------------------------------------------- 1. the Redis floor

    private void floor() throws InterruptedException {
        RedisFloor.Result r = RedisFloor.run(redisUrl, "bench:floor:" + (traceSerial++), RATE, WARM_S, LIVE_S);
        Samples s = r.latency();
        fig.add("floor.p50", s.ms(0.5));
        fig.add("floor.p90", s.ms(0.9));
        fig.add("floor.p99", s.ms(0.99));
        fig.add("floor.p999", s.ms(0.999));
        fig.add("floor.max", s.maxMs());
        fig.add("floor.lost", r.sent() - r.received());
        fig.add("floor.errors", r.errors());
        log(String.format(Locale.ROOT, "floor: XADD->XREADGROUP at %d/s: p50 %.3f p99 %.3f p999 %.3f max %.2f ms; sent %d received %d errors %d",
                RATE, s.ms(0.5), s.ms(0.99), s.ms(0.999), s.maxMs(), r.sent(), r.received(), r.errors()));
    }

    // ---------------------------------------------------------------- 2 and 5. live latency

    /**
     * Subscribers (PER_TRACE per trace, spread over the instances), then single-event POSTs at
     * {@code rate}/s (round-robin over the instances): latency from send to bytes read, lost and
     * duplicated events, server CPU per delivery.
     */
    void live(String key, List<PayaraInstance> instances, int rate, double warm, double measure, boolean full)
            throws Exception {
        live(key, instances, rate, warm, measure, full, () -> { }, () -> { });
    }

    /**
     * A live run; {@code steady} runs once the streams are open and the load has begun (before the
     * measured window), {@code done} once the window closes: the profile pass samples between them,
     * so that opening the streams is not charged to the events.
     */
    void live(String key, List<PayaraInstance> instances, int rate, double warm, double measure, boolean full,
              Step steady, Step done) throws Exception {
        String[] traces = traces(key, TRACES);
        BitSet[] acked = acked(traces.length);
        long seedErrors = Load.postToAll(instances, traces, acked, 0, 8);
        List<SseClients> clients = new ArrayList<>();
        for (PayaraInstance i : instances) {
            clients.add(new SseClients("127.0.0.1", i.port(), 200));
        }
        try {
            int n = 0;
            for (int j = 0; j < PER_TRACE; j++) {
                for (int t = 0; t < traces.length; t++) {
                    // Each trace watched on one instance (issue 16's 3-instance target): a dashboard
                    // behind a load balancer with sticky routing by trace, or a per-trace shard.
                    clients.get(t % instances.size()).open(traces[t], t, source(n));
                    n++;
                }
            }
            long openStart = System.nanoTime();
            int total = n;
            waitFor(() -> sum(clients, c -> c.readyCount.get() + c.failedCount.get()) >= total, 180);
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            int failed = sum(clients, c -> c.failedCount.get());
            long totalEvents = (long) (rate * (warm + measure));
            long start = System.nanoTime() + 50_000_000L;
            long windowStart = start + (long) (warm * 1e9);
            clients.forEach(c -> c.recordFrom(windowStart));
            Load.Paced[] paced = {new Load.Paced()};
            Thread poster = new Thread(() -> Load.paced(paced[0], instances, traces, acked, 1, rate, totalEvents,
                    POSTERS, start));
            poster.start();
            sleepUntil(start);
            steady.run();
            sleepUntil(windowStart);
            java.util.Map<String, Long> cmd0 = full ? commandStats() : java.util.Map.of();
            double cpu0 = cpu(instances);
            double redisCpu0 = Procs.cpuSeconds(redisPid);
            double self0 = Procs.cpuSeconds(ProcessHandle.current().pid());
            long posted0 = paced[0].ok.get();
            long delivered0 = delivered(clients);
            poster.join();
            long windowEnd = System.nanoTime();
            double cpu1 = cpu(instances);
            double redisCpu1 = Procs.cpuSeconds(redisPid);
            double self1 = Procs.cpuSeconds(ProcessHandle.current().pid());
            long posted1 = paced[0].ok.get();
            long delivered1 = delivered(clients);
            done.run();
            double window = (windowEnd - windowStart) / 1e9;
            if (full) {
                // Redis commands per event POSTed in the window (the achieved rate x the window)
                java.util.Map<String, Long> cmd1 = commandStats();
                double events = posted1 - posted0;
                StringBuilder calls = new StringBuilder();
                cmd1.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> {
                            long d = e.getValue() - cmd0.getOrDefault(e.getKey(), 0L);
                            if (d > 0) {
                                calls.append(String.format(Locale.ROOT, "%s %.2f, ", e.getKey(), d / events));
                            }
                        });
                redisCalls.put(key, calls.toString());
            }
            // Drain: every acknowledged event must reach every subscriber of its trace.
            long expected = expected(clients, acked);
            waitFor(() -> delivered(clients) >= expected, 20);
            sleep(300);
            long[] check = check(clients, acked);
            Samples s = new Samples();
            for (SseClients c : clients) {
                s.addAll(c.takeSamples());
            }
            double deliveries = delivered1 - delivered0;
            fig.add(key + ".p50", s.ms(0.5));
            fig.add(key + ".p90", s.ms(0.9));
            fig.add(key + ".p99", s.ms(0.99));
            fig.add(key + ".p999", s.ms(0.999));
            fig.add(key + ".max", s.maxMs());
            fig.add(key + ".deliveries_per_s", deliveries / window);
            fig.add(key + ".offered_per_s", paced[0].achievedRate());
            fig.add(key + ".lost", check[0]);
            fig.add(key + ".dup", check[1]);
            fig.add(key + ".disorder", check[2]);
            fig.add(key + ".cpu_us", (cpu1 - cpu0) / deliveries * 1e6);
            fig.add(key + ".cpu_cores", (cpu1 - cpu0) / window);
            fig.add(key + ".redis_cpu_us_per_event", (redisCpu1 - redisCpu0) / (posted1 - posted0) * 1e6);
            fig.add(key + ".redis_cpu_cores", (redisCpu1 - redisCpu0) / window);
            fig.add(key + ".client_cpu_cores", (self1 - self0) / window);
            fig.add(key + ".post_errors", paced[0].errors.get() + seedErrors);
            fig.add(key + ".late_sends", paced[0].lateSends.get());
            fig.add(key + ".failed_streams", failed);
            fig.add(key + ".dropped_streams", check[3]);
            fig.add(key + ".open_s", openSeconds);
            String heap = "";
            if (full) {
                long h = Procs.heapAfterGc(instances.get(0).pid());
                fig.add(key + ".heap_after_mb", h / 1048576.0);
                fig.add(key + ".rss_after_mb", Procs.rss(instances.get(0).pid()) / 1048576.0);
                heap = String.format(Locale.ROOT, "; heap after GC %.0f MB", h / 1048576.0);
            }
            log(String.format(Locale.ROOT, "%s: %d subscribers on %d instance(s), %d/s (achieved %.0f) for %.0f s: "
                            + "p50 %.2f p90 %.2f p99 %.2f p999 %.2f max %.1f ms; %.0f deliveries/s; lost %d dup %d disorder %d; "
                            + "%.1f us CPU/delivery (server %.2f cores, redis %.2f, client %.2f); POST errors %d, late sends %d (max lag %.1f ms); streams failed %d dropped %d%s",
                    key, total, instances.size(), rate, paced[0].achievedRate(), measure, s.ms(0.5), s.ms(0.9), s.ms(0.99),
                    s.ms(0.999), s.maxMs(), deliveries / window, check[0], check[1], check[2],
                    (cpu1 - cpu0) / deliveries * 1e6, (cpu1 - cpu0) / window, (redisCpu1 - redisCpu0) / window, (self1 - self0) / window, paced[0].errors.get() + seedErrors,
                    paced[0].lateSends.get(), paced[0].maxLagNs.get() / 1e6, failed, check[3], heap));
        } finally {
            clients.forEach(SseClients::close);
        }
    }

    /** Redis's own count of calls per command (INFO commandstats). */
    private java.util.Map<String, Long> commandStats() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        String out = Procs.run(List.of("redis-cli", "-u", redisUrl, "INFO", "commandstats"), 20);
        for (String line : out.split("\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                int c = line.indexOf("calls=");
                m.put(name, Long.parseLong(line.substring(c + 6, line.indexOf(',', c))));
            }
        }
        return m;
    }

    /** {lost, duplicated, out of order, streams closed by the server} over every subscriber that opened. */
    private static long[] check(List<SseClients> clients, BitSet[] acked) {
        long[] out = new long[4];
        for (SseClients sc : clients) {
            long[] r = sc.call(() -> {
                long[] x = new long[3];
                for (SseClients.Conn c : sc.connections()) {
                    if (!c.ready) {
                        continue;
                    }
                    BitSet missing;
                    synchronized (acked[c.traceIndex]) {
                        missing = (BitSet) acked[c.traceIndex].clone();
                    }
                    missing.andNot(c.seen);
                    x[0] += missing.cardinality();
                    x[1] += c.dups;
                    x[2] += c.disorder;
                }
                return x;
            });
            out[0] += r[0];
            out[1] += r[1];
            out[2] += r[2];
            out[3] += sc.closedAfterReady.get();
        }
        return out;
    }

    private static long expected(List<SseClients> clients, BitSet[] acked) {
        long total = 0;
        for (SseClients sc : clients) {
            total += sc.call(() -> {
                long x = 0;
                for (SseClients.Conn c : sc.connections()) {
                    if (c.ready) {
                        synchronized (acked[c.traceIndex]) {
                            x += acked[c.traceIndex].cardinality();
                        }
                    }
                }
                return x;
            });
        }
        return total;
    }

    private static long delivered(List<SseClients> clients) {
        long d = 0;
        for (SseClients c : clients) {
            d += c.delivered();
        }
        return d;
    }

    private static double cpu(List<PayaraInstance> instances) {
        double s = 0;
        for (PayaraInstance i : instances) {
            s += Procs.cpuSeconds(i.pid());
        }
        return s;
    }

    // ---------------------------------------------------------------- 4. ingest

    /** {batch size, connections}: single events, batches of 100 and of 1,000. */
    static final int[][] INGEST_CONFIGS = {{1, 16}, {100, 8}, {1000, 4}};

    private void ingest(PayaraInstance a, String figurePrefix, int[][] configs) {
        for (int[] cfg : configs) {
            int batch = cfg[0];
            String prefix = "ing" + (traceSerial++) + "-b" + batch;
            Load.ingest(a, prefix + "w", batch, cfg[1], Math.min(3, INGEST_S)); // warm-up
            double c0 = Procs.cpuSeconds(a.pid());
            double r0 = Procs.cpuSeconds(redisPid);
            Load.Ingest r = Load.ingest(a, prefix, batch, cfg[1], INGEST_S);
            double c1 = Procs.cpuSeconds(a.pid());
            double r1 = Procs.cpuSeconds(redisPid);
            String key = figurePrefix + "ingest.b" + batch;
            fig.add(key + ".requests_per_s", r.requestsPerSecond());
            fig.add(key + ".events_per_s", r.eventsPerSecond());
            fig.add(key + ".errors", r.errors());
            fig.add(key + ".cpu_us_per_event", (c1 - c0) / r.events() * 1e6);
            fig.add(key + ".redis_cpu_us_per_event", (r1 - r0) / r.events() * 1e6);
            log(String.format(Locale.ROOT, figurePrefix + "ingest batch %d, %d connections: %.0f requests/s, %.0f events/s, %d errors; "
                            + "server %.1f us CPU/event, redis %.1f us CPU/event",
                    batch, cfg[1], r.requestsPerSecond(), r.eventsPerSecond(), r.errors(),
                    (c1 - c0) / r.events() * 1e6, (r1 - r0) / r.events() * 1e6));
        }
    }

    /**
     * OTLP/HTTP exports of 512 spans (an SDK batch processor's default batch), protobuf, 4
     * connections; with {@code promptBytes}, each model call carries a prompt that long.
     */
    private void otlp(PayaraInstance a, String key, int promptBytes) {
        int spans = 512;
        OtlpLoad.run(a, spans, promptBytes, 4, Math.min(3, INGEST_S)); // warm-up
        double c0 = Procs.cpuSeconds(a.pid());
        double r0 = Procs.cpuSeconds(redisPid);
        OtlpLoad.Result r = OtlpLoad.run(a, spans, promptBytes, 4, INGEST_S);
        double c1 = Procs.cpuSeconds(a.pid());
        double r1 = Procs.cpuSeconds(redisPid);
        fig.add(key + ".spans_per_s", r.spansPerSecond());
        fig.add(key + ".errors", r.errors());
        fig.add(key + ".cpu_us_per_span", (c1 - c0) / Math.max(1, r.spans()) * 1e6);
        fig.add(key + ".redis_cpu_us_per_span", (r1 - r0) / Math.max(1, r.spans()) * 1e6);
        log(String.format(Locale.ROOT, "%s: exports of %d spans (prompts of %d bytes), 4 connections: %.0f spans/s, %d errors; "
                        + "server %.1f us CPU/span, redis %.1f us CPU/span",
                key, spans, promptBytes, r.spansPerSecond(), r.errors(), (c1 - c0) / Math.max(1, r.spans()) * 1e6,
                (r1 - r0) / Math.max(1, r.spans()) * 1e6));
    }

    // ---------------------------------------------------------------- 3. open streams

    private void openStreams(PayaraInstance a, String figurePrefix, boolean histogramToo, int[] counts) throws Exception {
        awaitNoStreams(a);
        long heap0 = Procs.heapAfterGc(a.pid());
        String histogram0 = histogramToo ? Procs.jcmd(a.pid(), "GC.class_histogram") : "";
        long rss0 = Procs.rss(a.pid());
        int fds0 = Procs.openFds(a.pid());
        int threads0 = Procs.threads(a.pid());
        String prefix = "open" + (traceSerial++) + "-";
        List<Process> holders = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        List<PrintWriter> ins = new ArrayList<>();
        int tracesSoFar = 0;
        int address = 0;
        BitSet[] acked = acked(counts[counts.length - 1] / PER_TRACE + 1);
        try {
            for (int stage = 0; stage < counts.length; stage++) {
                int count = counts[stage];
                int newTraces = count / PER_TRACE - tracesSoFar;
                String[] all = new String[tracesSoFar + newTraces];
                for (int t = 0; t < all.length; t++) {
                    all[t] = prefix + t; // the names the holders subscribe to
                }
                String[] fresh = Arrays.copyOfRange(all, tracesSoFar, all.length);
                BitSet[] freshAcked = Arrays.copyOfRange(acked, tracesSoFar, all.length);
                // each trace must exist (one event) before its streams open
                long seedErrors = Load.postToAll(List.of(a), fresh, freshAcked, 0, 8);
                int streams = newTraces * PER_TRACE;
                int holdersNow = Math.max(1, (streams + STREAMS_PER_HOLDER - 1) / STREAMS_PER_HOLDER);
                int per = (newTraces + holdersNow - 1) / holdersNow;
                int first = holders.size();
                long stageStart = System.nanoTime();
                for (int h = 0; h < holdersNow; h++) {
                    int from = tracesSoFar + h * per;
                    int to = Math.min(tracesSoFar + newTraces, from + per);
                    String binds = "127.0.0." + (2 + address++ % 8) + ",127.0.0." + (2 + address++ % 8);
                    List<String> cmd = List.of(Procs.JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                            "-cp", System.getProperty("java.class.path"), Bench.class.getName(), "holder",
                            Integer.toString(a.port()), binds, prefix, Integer.toString(from), Integer.toString(to),
                            Integer.toString(PER_TRACE), "100");
                    Process p = Procs.startPiped(cmd, work.resolve("holder-" + holders.size() + ".log"));
                    holders.add(p);
                    outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                    ins.add(new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8));
                }
                long firstStart = Long.MAX_VALUE;
                long lastReady = 0;
                int ready = 0;
                int failed = 0;
                StringBuilder failures = new StringBuilder();
                for (int h = first; h < holders.size(); h++) {
                    String[] r = expectLine(outs.get(h), "READY", 330);
                    ready += Integer.parseInt(r[2]);
                    failed += Integer.parseInt(r[3]);
                    firstStart = Math.min(firstStart, Long.parseLong(r[4]));
                    lastReady = Math.max(lastReady, Long.parseLong(r[5]));
                    if (!r[6].equals("{}")) {
                        failures.append(r[6]);
                    }
                }
                double openSeconds = ready == 0 ? Double.NaN : (lastReady - firstStart) / 1e9;
                double wallSeconds = (System.nanoTime() - stageStart) / 1e9;
                tracesSoFar += newTraces;
                int open = (int) gauge(a, "tracestream_sse_streams_open");
                long heap = Procs.heapAfterGc(a.pid());
                long rss = Procs.rss(a.pid());
                int fds = Procs.openFds(a.pid());
                int threads = Procs.threads(a.pid());
                int totalReady = readySoFar(stage, ready); // streams held by all holders so far
                double perStream = totalReady == 0 ? Double.NaN : 1024.0 * totalReady;
                if (heap < 0 || heap0 < 0) {
                    heap = Long.MIN_VALUE / 4; // jcmd did not answer (an instance out of heap): no reading
                }
                String key = figurePrefix + "open" + count;
                fig.add(key + ".open_s", openSeconds);
                fig.add(key + ".streams_open", open);
                fig.add(key + ".failed", failed);
                fig.add(key + ".heap_per_stream_kb", heap < 0 ? Double.NaN : (heap - heap0) / perStream);
                fig.add(key + ".rss_per_stream_kb", (rss - rss0) / perStream);
                fig.add(key + ".threads", threads);
                fig.add(key + ".fds", fds);
                log(String.format(Locale.ROOT, figurePrefix + "open %d: %d ready, %d failed %s in %.1f s (wall %.1f s); server says %d open; "
                                + "heap %+.1f MB (%.1f kB/stream), RSS %+.1f MB (%.1f kB/stream); threads %d -> %d, fds %d -> %d; seed errors %d",
                        count, totalReady, failed, failures, openSeconds, wallSeconds, open, (heap - heap0) / 1048576.0,
                        (heap - heap0) / perStream, (rss - rss0) / 1048576.0, (rss - rss0) / perStream,
                        threads0, threads, fds0, fds, seedErrors));
                fig.add(key + ".not_open", streams - ready);
                if (ready + failed < streams || failed > 0 || !a.isUp()) {
                    notes.add(String.format(Locale.ROOT, (figurePrefix.isEmpty() ? "" : "stack floor: ") + "%,d streams: only %,d of %,d opened (%d failed %s, %d never answered) on an instance with " + OPEN_HEAP + "%s; "
                                    + "the one-event-per-trace check was skipped for this step", count, totalReady, count, failed, failures,
                            streams - ready - failed, Files.readString(a.log()).contains("OutOfMemoryError") ? ", which ran out of heap (OutOfMemoryError in its log)" : ""));
                    log(figurePrefix + "open " + count + ": incomplete, probe skipped");
                    break;
                }
                if (histogramToo) { // at every step that opened completely: the last one is reported
                    String after = Procs.jcmd(a.pid(), "GC.class_histogram");
                    Files.writeString(work.resolve("histogram-" + count + ".txt"), after);
                    histogram = histogramDiff(histogram0, after, totalReady);
                }
                // One event per trace must reach every stream.
                for (PrintWriter in : ins) {
                    in.println("ARM");
                }
                for (BufferedReader out : outs) {
                    expectLine(out, "ARMED", 60);
                }
                int probe = stage + 1;
                long probeStart = System.nanoTime();
                long probeErrors = Load.postToAll(List.of(a), Arrays.copyOf(all, tracesSoFar),
                        Arrays.copyOf(acked, tracesSoFar), probe, 8);
                double postSeconds = (System.nanoTime() - probeStart) / 1e9;
                for (PrintWriter in : ins) {
                    in.println("PROBE " + probe + " 60000");
                }
                int got = 0;
                int missing = 0;
                int dups = 0;
                int disorder = 0;
                int dropped = 0;
                double worstMs = 0;
                double p99 = 0;
                for (BufferedReader out : outs) {
                    String[] r = expectLine(out, "PROBED", 120);
                    got += Integer.parseInt(r[1]);
                    missing += Integer.parseInt(r[2]);
                    dups += Integer.parseInt(r[3]);
                    disorder += Integer.parseInt(r[4]);
                    p99 = Math.max(p99, Double.parseDouble(r[6]));
                    worstMs = Math.max(worstMs, Double.parseDouble(r[7]));
                    dropped += Integer.parseInt(r[8]);
                }
                fig.add(key + ".probe_missing", missing);
                fig.add(key + ".probe_dup", dups);
                fig.add(key + ".probe_all_ms", worstMs);
                fig.add(key + ".probe_post_s", postSeconds);
                log(String.format(Locale.ROOT, figurePrefix + "open %d: one event to each of %d traces (posted in %.1f s, %d errors): "
                                + "%d streams got it, %d missing, %d dup, %d out of order, %d dropped; p99 %.1f ms, last after %.1f ms",
                        count, tracesSoFar, postSeconds, probeErrors, got, missing, dups, disorder, dropped, p99, worstMs));
            }
        } finally {
            for (PrintWriter in : ins) {
                in.println("QUIT");
            }
            for (Process p : holders) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    Procs.stop(p);
                }
            }
        }
    }

    /** What each open stream holds on the heap: the class histogram after minus before, per stream. */
    static String histogramDiff(String before, String after, int streams) {
        java.util.Map<String, long[]> b = parseHistogram(before);
        java.util.Map<String, long[]> a = parseHistogram(after);
        List<String[]> rows = new ArrayList<>();
        long total = 0;
        for (var e : a.entrySet()) {
            long[] x = e.getValue();
            long[] y = b.getOrDefault(e.getKey(), new long[2]);
            long bytes = x[1] - y[1];
            total += bytes;
            rows.add(new String[] {Long.toString(bytes), e.getKey(), Long.toString(x[0] - y[0])});
        }
        rows.sort((p, q) -> Long.compare(Long.parseLong(q[0]), Long.parseLong(p[0])));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d streams: heap +%.1f MB in all classes = %.0f bytes per stream%n%10s %10s  %s%n", streams,
                total / 1048576.0, total / (double) streams, "B/stream", "obj/stream", "class"));
        for (String[] r : rows.subList(0, Math.min(25, rows.size()))) {
            sb.append(String.format(Locale.ROOT, "%10.0f %10.1f  %s%n", Long.parseLong(r[0]) / (double) streams,
                    Long.parseLong(r[2]) / (double) streams, r[1]));
        }
        return sb.toString();
    }

    private static java.util.Map<String, long[]> parseHistogram(String h) {
        java.util.Map<String, long[]> m = new java.util.HashMap<>();
        for (String line : h.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && Character.isDigit(f[0].charAt(0))) {
                m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return m;
    }

    private int readyAccum;

    private int readySoFar(int stage, int readyNow) {
        if (stage == 0) {
            readyAccum = 0;
        }
        readyAccum += readyNow;
        return readyAccum;
    }

    /** A gauge of /metrics?scope=application, or -1 when the instance does not answer it. */
    private static double gauge(PayaraInstance instance, String name) {
        try {
            return instance.metric("application", name);
        } catch (RuntimeException | AssertionError e) {
            return -1;
        }
    }

    private void awaitNoStreams(PayaraInstance a) {
        long deadline = System.nanoTime() + 90_000_000_000L;
        double open;
        while ((open = gauge(a, "tracestream_sse_streams_open")) > 0 && System.nanoTime() < deadline) {
            sleep(1000);
        }
        if (open > 0) {
            notes.add("open streams test started with " + (int) open + " streams still open on the server");
        }
    }

    private static String[] expectLine(BufferedReader out, String word, int timeoutSeconds) throws IOException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("client process ended before " + word);
            }
            if (line.startsWith(word)) {
                return line.split(" ");
            }
        }
        throw new IOException("no " + word + " within " + timeoutSeconds + " s");
    }

    // ---------------------------------------------------------------- profile

    private void profile(PayaraInstance a, PayaraInstance hub) throws Exception {
        CpuProfile profiler = CpuProfile.fromClassPath(work);
        if (profiler == null) {
            notes.add("profile pass skipped: async-profiler is not on the class path (run with -Pbench)");
            return;
        }
        log("=== profile pass (async-profiler, CPU time of every thread, 1 sample per ms): live, ingest");
        String[] phases = {"live", "ingest-single", "ingest-batch1000"};
        for (String name : phases) {
            Path file = work.resolve("profile-" + name + ".collapsed");
            Files.deleteIfExists(file);
            switch (name) {
                case "live" -> live("profile.live", List.of(a), RATE, 3, Math.min(LIVE_S, 15), false,
                        () -> profiler.start(a.pid(), file), () -> profiler.stop(a.pid(), file));
                case "ingest-single" -> profiled(profiler, a, file, () -> Load.ingest(a, "prof-single", 1, 16, Math.min(INGEST_S, 8)));
                default -> profiled(profiler, a, file, () -> Load.ingest(a, "prof-b1000", 1000, 4, Math.min(INGEST_S, 8)));
            }
            String summary = Files.exists(file) ? CpuProfile.summarize(file, 15) : "no samples written\n";
            Files.writeString(work.resolve("profile-" + name + ".txt"), summary);
            profiles.add("#### " + name + "\n\n```\n" + summary + "```\n");
            log("profile " + name + " -> " + file + "\n" + summary);
            if (name.equals("live") && hub != null && Files.exists(file)) {
                // The same load on the stack floor, profiled the same way: where the gap lies.
                Path floor = work.resolve("profile-hub-live.collapsed");
                Files.deleteIfExists(floor);
                live("profile.hub.live", List.of(hub), RATE, 3, Math.min(LIVE_S, 15), false,
                        () -> profiler.start(hub.pid(), floor), () -> profiler.stop(hub.pid(), floor));
                if (Files.exists(floor)) {
                    String side = CpuProfile.compare("event (" + PER_TRACE + " deliveries)", "hub", floor,
                            PER_TRACE * fig.last("profile.hub.live.cpu_us"), "Trace St", file,
                            PER_TRACE * fig.last("profile.live.cpu_us"));
                    Files.writeString(work.resolve("profile-live-against-hub.txt"), side);
                    profiles.add("#### live, beside the stack floor under the same load\n\n```\n" + side + "```\n");
                    log("profile live against the hub\n" + side);
                }
            }
        }
    }

    /** Something the benchmark runs, such as a load to profile. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A load, run while the instance is profiled. */
    private static void profiled(CpuProfile profiler, PayaraInstance instance, Path file, Step load) throws Exception {
        profiler.start(instance.pid(), file);
        load.run();
        profiler.stop(instance.pid(), file);
    }

    // ---------------------------------------------------------------- helpers

    private String[] traces(String key, int n) {
        String prefix = key.replaceAll("[^A-Za-z0-9]", "") + (traceSerial++) + "-";
        String[] t = new String[n];
        for (int i = 0; i < n; i++) {
            t[i] = prefix + i;
        }
        return t;
    }

    private static BitSet[] acked(int n) {
        BitSet[] b = new BitSet[n];
        for (int i = 0; i < n; i++) {
            b[i] = new BitSet();
        }
        return b;
    }

    private static InetAddress source(int n) throws IOException {
        return InetAddress.getByName("127.0.0." + (2 + n % 8));
    }

    private static int sum(List<SseClients> clients, java.util.function.ToIntFunction<SseClients> f) {
        int s = 0;
        for (SseClients c : clients) {
            s += f.applyAsInt(c);
        }
        return s;
    }

    private static void waitFor(java.util.function.BooleanSupplier done, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            sleep(Math.max(1, (nanoTime - now) / 1_000_000));
        }
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void log(String s) {
        System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", elapsed(), s);
        System.out.flush();
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** A system property, its default when unset or blank (Maven passes unset knobs as blanks). */
    static String prop(String name, String def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }

    String startedAt = Instant.now().toString();
}
