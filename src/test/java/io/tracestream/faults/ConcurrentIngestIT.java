package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.testing.Api;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import io.tracestream.testkit.RedisServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, defect 1, end to end against the built WAR: one trace watched by live streams takes
 * concurrent one-span OTLP/JSON exports (an SDK's simple span processor) and JSON posts while its
 * summary and the trace list are read, for several seconds (the old in-memory store deadlocked
 * within one). Every request must be answered, within a generous bound that is there only so that
 * a hang fails the test instead of stalling it: a request not answered within it takes a thread
 * dump of the server ({@code jcmd <pid> Thread.print}) and fails with its deadlock section. Then
 * the root span ends the workflow and every stream must have received every stored event exactly
 * once, in order, and then {@code end}; the summary counts them all; the server's final thread
 * dump shows no deadlock. Once per backend, each on a server of its own (both started at once).
 *
 * <p>No timing is asserted beyond the hang bounds: the figures (requests answered, slowest
 * answer) go to target/fault-report.md and the test's output.
 */
class ConcurrentIngestIT {

    static final int EXPORTERS = 16;
    static final int JSON_POSTERS = 3;
    static final int SUMMARY_READERS = 2;
    static final int LIST_READERS = 1;
    static final int PLAIN_STREAMS = 3;
    static final int SUMMARY_STREAMS = 2;
    /** How long the concurrent load runs: the old store deadlocked within a second of it. */
    static final Duration LOAD = Duration.ofSeconds(3);
    /** Every request is answered within this, however loaded the machine: past it the server hangs. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
    /** The streams' end comes tracestream.trace.end-grace (2 s) after the root span; generous. */
    static final Duration END_WITHIN = Duration.ofSeconds(60);
    static final Duration START_WITHIN = Duration.ofSeconds(120);
    static final String ROOT_SPAN = "0000000000000001";

    /**
     * The whole trace is kept (the streams are compared with its stored history), and the streams
     * are not dropped as slow consumers: they read as fast as they can, but share two cores with
     * two dozen load threads, and the slow-consumer bounds are not what this test is about.
     */
    /** The run guards are off: every stream must get exactly the exported events, and a run of one tool is no loop to report here. */
    static final Map<String, String> SETTINGS = Map.of(
            "tracestream.trace.max-events", "1000000",
            "tracestream.sse.max-buffered", "1000000",
            "tracestream.sse.write-timeout", "PT60S",
            "tracestream.guards.enabled", "false");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final Pattern DEADLOCK = Pattern.compile("Found (one|\\d+) Java-level deadlocks?");

    static RedisServer redis;
    static Instance inMemory;
    static Instance onRedis;

    /** Both servers start together: two starts at once take less than two in a row, even on two cores. */
    @BeforeAll
    static void startServers() {
        long began = System.nanoTime();
        redis = RedisServer.startNew();
        Map<String, String> redisSettings = new LinkedHashMap<>(SETTINGS);
        redisSettings.put("tracestream.redis.url", redis.url());
        inMemory = new Instance("concurrent-memory", SETTINGS);
        onRedis = new Instance("concurrent-redis", redisSettings);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Instance server : List.of(inMemory, onRedis)) {
            server.start();
            ready.add(CompletableFuture.runAsync(() -> server.awaitReady(START_WITHIN)));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AssertionError notReady) {
                throw notReady;
            }
            throw e;
        }
        System.out.println("ConcurrentIngestIT: both servers ready in " + Faults.elapsedMillis(began) + " ms");
    }

    @AfterAll
    static void stopServers() {
        for (Instance server : new Instance[] {inMemory, onRedis}) {
            if (server != null) {
                server.destroy();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void inMemoryEveryRequestIsAnsweredAndEveryStreamGetsEveryEventOnceInOrderUnderConcurrentExportsPostsAndReadsOfOneWatchedTrace() {
        ingestConcurrentlyIntoOneWatchedTrace("memory", inMemory);
    }

    @Test
    void onRedisEveryRequestIsAnsweredAndEveryStreamGetsEveryEventOnceInOrderUnderConcurrentExportsPostsAndReadsOfOneWatchedTrace() {
        ingestConcurrentlyIntoOneWatchedTrace("Redis standalone", onRedis);
    }

    private void ingestConcurrentlyIntoOneWatchedTrace(String backend, Instance server) {
        long began = System.nanoTime();
        // Each request type once, on a trace of its own: a cold server spends seconds on the first
        // export and the first summary (class loading), which would eat the load's few seconds.
        Load warmUp = new Load(server, randomTraceId());
        warmUp.exportSpan(1, 1);
        warmUp.postEvents(1, 1);
        warmUp.send("summary", HttpRequest.newBuilder(warmUp.api.uri("traces/" + warmUp.trace)).GET(), 200);
        warmUp.send("list", HttpRequest.newBuilder(warmUp.api.uri("traces")).GET(), 200);
        assertAnswered(server, warmUp);
        long warmedUp = System.nanoTime();

        Load load = new Load(server, randomTraceId());
        // A stream of a trace not yet stored is a 404: the first event, then the streams.
        load.postEvents(0, 1);
        assertAnswered(server, load);
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < PLAIN_STREAMS + SUMMARY_STREAMS; i++) {
                SseClient stream = SseClient.open(load.api.uri("traces/" + load.trace + "/stream"
                        + (i < PLAIN_STREAMS ? "" : "?summary=true")));
                streams.add(stream);
                assertEquals(200, stream.status(), "stream " + i + " of the trace");
            }

            long loadStarted = System.nanoTime();
            load.run(LOAD);
            assertAnswered(server, load);
            long loadEnded = System.nanoTime();

            load.exportRoot();
            assertAnswered(server, load);
            List<List<Message>> received = new ArrayList<>();
            for (SseClient stream : streams) {
                try {
                    received.add(stream.takeUntil("end", END_WITHIN));
                } catch (AssertionError noEnd) {
                    throw new AssertionError("stream " + received.size() + ": " + noEnd.getMessage() + "; "
                            + deadlockSection(server, "no-end", server.threadDump("no-end")), noEnd);
                }
            }
            long ended = System.nanoTime();

            List<JsonObject> stored = storedEvents(load.api, load.trace);
            List<String> storedIds = stored.stream().map(e -> e.getString("id")).toList();
            assertEquals("workflow_completed", stored.get(stored.size() - 1).getString("event_type"),
                    "the root span's end is the trace's last event");
            assertStoredOnce(load, stored);

            Tally tally = Tally.ZERO;
            for (int i = 0; i < received.size(); i++) {
                List<Message> messages = received.get(i);
                List<String> ids = messages.stream().filter(m -> m.event() == null).map(Message::id).toList();
                Tally one = Tally.of(storedIds, ids);
                tally = tally.plus(one);
                assertTrue(one.perfect() && ids.equals(storedIds), "stream " + i + " against the " + storedIds.size()
                        + " stored events: " + one);
                List<String> named = messages.stream().map(Message::event).filter(e -> e != null && !e.equals("summary")).toList();
                assertEquals(List.of("end"), named, "stream " + i + ": its named events other than summary");
                long summaries = messages.stream().filter(m -> "summary".equals(m.event())).count();
                if (i < PLAIN_STREAMS) {
                    assertEquals(0, summaries, "stream " + i + " did not ask for summaries");
                } else {
                    assertTrue(summaries > 0, "stream " + i + " asked for summaries and got none");
                }
            }

            JsonObject summary = Api.json(load.api.get("traces/" + load.trace));
            assertEquals(storedIds.size(), summary.getJsonNumber("event_count").longValue(), "the summary's event_count");
            assertEquals("completed", summary.getString("status"), "the summary's status");

            String dump = server.threadDump("end");
            assertTrue(dump.contains("Full thread dump"), "jcmd Thread.print: " + deadlockSection(server, "end", dump));
            assertFalse(DEADLOCK.matcher(dump).find(), "the server's thread dump at the end: " + deadlockSection(server, "end", dump));

            String figures = load.figures() + "; " + storedIds.size() + " events stored; warm-up "
                    + (warmedUp - began) / 1_000_000 + " ms, load " + (loadEnded - loadStarted) / 1_000_000
                    + " ms, root span to every end " + (ended - loadEnded) / 1_000_000 + " ms";
            System.out.println("ConcurrentIngestIT " + backend + ": " + figures);
            FaultReport.add("One watched trace, " + backend + ": " + EXPORTERS + " one-span OTLP/JSON exporters, "
                    + JSON_POSTERS + " JSON posters, " + (SUMMARY_READERS + LIST_READERS) + " summary/list readers for "
                    + LOAD.toSeconds() + " s", 1, storedIds.size(), tally, figures);
        } finally {
            streams.forEach(SseClient::close);
        }
    }

    /** Every request answered, and with the status it should have; a hang fails with the server's deadlock, if any. */
    private static void assertAnswered(Instance server, Load load) {
        if (!load.unanswered.isEmpty()) {
            String dump = server.threadDump("unanswered");
            throw new AssertionError(load.unanswered.size() + " requests not answered within " + ANSWER_WITHIN
                    + " (" + load.figures() + "), the first: " + load.unanswered.peek() + "; "
                    + deadlockSection(server, "unanswered", dump));
        }
        assertTrue(load.problems.isEmpty(), load.problemCount.get() + " requests answered with the wrong status or failed ("
                + load.figures() + "), e.g. " + load.problems);
    }

    /** The dump's deadlock report (jcmd prints it last), or that there is none; where the whole dump is. */
    private static String deadlockSection(Instance server, String label, String dump) {
        String saved = " (the whole dump: " + server.log().resolveSibling("threads-" + server.name() + "-" + label + ".txt") + ")";
        if (!dump.contains("Full thread dump")) {
            return "no thread dump, jcmd answered: " + (dump.length() > 500 ? dump.substring(0, 500) + "..." : dump);
        }
        Matcher m = DEADLOCK.matcher(dump);
        if (!m.find()) {
            return "no Java-level deadlock in the server's thread dump" + saved;
        }
        String section = dump.substring(m.start());
        return "the server's thread dump shows" + saved + ":\n"
                + (section.length() > 12_000 ? section.substring(0, 12_000) + "\n..." : section);
    }

    /** Every event the store answered for is there, once: the JSON posts' ids and every exported span. */
    private static void assertStoredOnce(Load load, List<JsonObject> stored) {
        List<String> ids = stored.stream().map(e -> e.getString("id")).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "stored ids are distinct");
        Set<String> storedIds = new HashSet<>(ids);
        List<String> missing = load.postedIds.stream().filter(id -> !storedIds.contains(id)).limit(10).toList();
        assertTrue(missing.isEmpty(), "answered 202 but not stored: " + missing);
        long posted = stored.stream().filter(e -> "message".equals(e.getString("event_type"))).count();
        assertEquals(load.postedIds.size(), posted, "stored JSON-posted events (message) against the ids answered 202");
        Set<String> spans = new HashSet<>();
        stored.forEach(e -> {
            JsonValue span = e.get("span_id");
            if (span != null && span.getValueType() == JsonValue.ValueType.STRING) {
                spans.add(e.getString("span_id"));
            }
        });
        List<String> lost = load.exportedSpans.stream().filter(s -> !spans.contains(s)).limit(10).toList();
        assertTrue(lost.isEmpty(), "spans exported (200) without events stored: " + lost);
        assertEquals(load.exportedSpans.size(), spans.size(), "spans with stored events against spans exported");
    }

    /** The trace's stored history, paging through {@code next_after}. */
    private static List<JsonObject> storedEvents(Api api, String trace) {
        List<JsonObject> all = new ArrayList<>();
        String after = "";
        while (true) {
            HttpResponse<String> page = api.get("traces/" + trace + "/events?limit=1000" + (after.isEmpty() ? "" : "&after=" + after));
            assertEquals(200, page.statusCode(), page.body());
            JsonObject json = Api.json(page);
            json.getJsonArray("events").forEach(e -> all.add(e.asJsonObject()));
            if (!json.containsKey("next_after")) {
                return all;
            }
            after = json.getString("next_after");
        }
    }

    private static String randomTraceId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 1; // never all zeros
        return HexFormat.of().formatHex(id);
    }

    /**
     * The clients of one run: exporters, JSON posters and readers on a thread each, every request
     * bounded by {@link #ANSWER_WITHIN}; what was stored, what went wrong.
     */
    private static final class Load {
        final Instance server;
        final Api api;
        final String trace;
        final long t0Nanos = System.currentTimeMillis() * 1_000_000L;
        volatile boolean stop;

        final Queue<String> unanswered = new ConcurrentLinkedQueue<>();
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicInteger problemCount = new AtomicInteger();
        final Set<String> exportedSpans = ConcurrentHashMap.newKeySet();
        final Set<String> postedIds = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
        final AtomicLong slowestMillis = new AtomicLong();

        Load(Instance server, String trace) {
            this.server = server;
            this.api = server.api();
            this.trace = trace;
        }

        /** Every client on a thread of its own for {@code duration} (less if a request hangs), then until each has its answer. */
        void run(Duration duration) {
            List<Runnable> clients = new ArrayList<>();
            for (int t = 1; t <= EXPORTERS; t++) {
                int exporter = t;
                clients.add(() -> {
                    for (int k = 1; !stop; k++) {
                        exportSpan(exporter, k);
                    }
                });
            }
            for (int p = 1; p <= JSON_POSTERS; p++) {
                int poster = p;
                clients.add(() -> {
                    for (int k = 1; !stop; k++) {
                        postEvents(poster, 1 + k % 3);
                    }
                });
            }
            for (int r = 0; r < SUMMARY_READERS; r++) {
                clients.add(() -> {
                    while (!stop) {
                        send("summary", HttpRequest.newBuilder(api.uri("traces/" + trace)).GET(), 200);
                    }
                });
            }
            for (int r = 0; r < LIST_READERS; r++) {
                clients.add(() -> {
                    while (!stop) {
                        send("list", HttpRequest.newBuilder(api.uri("traces")).header("Accept", "application/json").GET(), 200);
                    }
                });
            }
            clients.add(() -> {
                while (!stop) {
                    send("ready", HttpRequest.newBuilder(api.serverUri("health/ready")).GET(), 200);
                    Faults.sleep(100);
                }
            });
            AtomicInteger names = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients.size(), r -> {
                Thread t = new Thread(r, "concurrent-client-" + names.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            clients.forEach(pool::execute);
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end && unanswered.isEmpty()) {
                Faults.sleep(100);
            }
            stop = true;
            pool.shutdown();
            try {
                // Each client is in at most one request, bounded by ANSWER_WITHIN.
                if (!pool.awaitTermination(ANSWER_WITHIN.toSeconds() + 30, TimeUnit.SECONDS)) {
                    unanswered.add("a client thread still waiting " + (ANSWER_WITHIN.toSeconds() + 30) + " s after the load");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Span {@code k} of exporter {@code t}, alone in its export as a simple span processor sends
         * it: an agent (three events), then a model call and a tool call inside that agent (one each).
         */
        void exportSpan(int t, int k) {
            String id = spanId(t, k);
            long start = t0Nanos + k * 1_000_000L;
            Span.Builder span = Span.newBuilder().setTraceId(bytes(trace)).setSpanId(bytes(id))
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).setStartTimeUnixNano(start).setEndTimeUnixNano(start + 700_000L)
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
            String agent = "worker-" + t;
            switch (k % 3) {
                case 1 -> span.setName("invoke_agent " + agent).setParentSpanId(bytes(ROOT_SPAN))
                        .addAttributes(str("gen_ai.operation.name", "invoke_agent")).addAttributes(str("gen_ai.agent.name", agent));
                case 2 -> span.setName("chat gpt-4o").setParentSpanId(bytes(spanId(t, k - 1)))
                        .addAttributes(str("gen_ai.operation.name", "chat")).addAttributes(str("gen_ai.request.model", "gpt-4o"))
                        .addAttributes(num("gen_ai.usage.input_tokens", 120)).addAttributes(num("gen_ai.usage.output_tokens", 30));
                default -> span.setName("execute_tool grep").setParentSpanId(bytes(spanId(t, k - 2)))
                        .addAttributes(str("gen_ai.operation.name", "execute_tool")).addAttributes(str("gen_ai.tool.name", "grep"));
            }
            if (export(span)) {
                exportedSpans.add(id);
            }
        }

        /** The root span, last: an invoke_workflow that ends the workflow (workflow_completed). */
        void exportRoot() {
            Span.Builder root = Span.newBuilder().setTraceId(bytes(trace)).setSpanId(bytes(ROOT_SPAN))
                    .setName("invoke_workflow concurrent-ingest").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(t0Nanos).setEndTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                    .addAttributes(str("gen_ai.operation.name", "invoke_workflow"))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
            if (export(root)) {
                exportedSpans.add(ROOT_SPAN);
            }
        }

        private boolean export(Span.Builder span) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(str("service.name", "concurrent-ingest-it")))
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("concurrent-ingest-it"))
                            .addSpans(span))).build();
            return send("export", HttpRequest.newBuilder(api.uri("v1/traces")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(OtlpSpans.json(request))), 200) != null;
        }

        /** {@code count} message events of poster {@code p} in one POST; remembers the ids answered. */
        void postEvents(int p, int count) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < count; i++) {
                body.append(i == 0 ? "" : ",").append("{\"event_type\":\"message\",\"agent_id\":\"poster-").append(p)
                        .append("\",\"attributes\":{\"text\":\"note ").append(i).append(" of poster ").append(p).append("\"}}");
            }
            HttpResponse<String> answer = send("post", HttpRequest.newBuilder(api.uri("traces/" + trace + "/events"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())), 202);
            if (answer != null) {
                Api.json(answer).getJsonArray("ids").getValuesAs(JsonString.class).forEach(id -> postedIds.add(id.getString()));
            }
        }

        /**
         * Sends and waits at most {@link #ANSWER_WITHIN}; the answer when it has the status expected,
         * else null with the problem noted (a request not answered in time stops the load).
         */
        HttpResponse<String> send(String what, HttpRequest.Builder request, int expected) {
            HttpRequest built = request.timeout(ANSWER_WITHIN).build();
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> pending = HTTP.sendAsync(built, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> response;
            try {
                response = pending.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                pending.cancel(true);
                if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
                    unanswered.add(what + " " + built.method() + " " + built.uri().getPath());
                    stop = true;
                } else {
                    problem(what + " " + built.method() + " " + built.uri().getPath() + ": " + cause);
                }
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            slowestMillis.accumulateAndGet(Faults.elapsedMillis(started), Math::max);
            if (response.statusCode() != expected) {
                String body = response.body();
                problem(what + " " + built.method() + " " + built.uri().getPath() + " answered " + response.statusCode()
                        + ": " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
                return null;
            }
            answered.computeIfAbsent(what, w -> new AtomicInteger()).incrementAndGet();
            return response;
        }

        private void problem(String text) {
            if (problemCount.incrementAndGet() <= 10) {
                problems.add(text);
            }
        }

        String figures() {
            return "answered " + new TreeMap<>(answered) + ", slowest " + slowestMillis.get() + " ms";
        }

        private static String spanId(int t, int k) {
            return String.format("%04x%012x", t, k);
        }
    }

    static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue num(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
