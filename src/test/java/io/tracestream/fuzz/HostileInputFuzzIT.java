package io.tracestream.fuzz;

import static io.tracestream.fuzz.FuzzClient.expect;

import io.tracestream.testkit.PayaraInstance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of everything a client sends, against the built WAR in one Payara Micro
 * (in-memory store): JSON API ingest bodies, OTLP/HTTP exports in both encodings, and every query
 * parameter and header the server reads. For each input {@link FuzzClient} checks the answer is 2xx
 * or 4xx (never 5xx) with a problem document, that a trace holds exactly what 2xx requests sent,
 * that every SSE frame of a stored event is one JSON document equal to it (CR, LF, NUL, U+2028 in
 * every field), and that the trace page and the Mermaid diagram carry no markup an event brought.
 * Over 10,000 inputs a run: each try sends 8 inputs in parallel.
 *
 * <p>Inputs come from generators that are functions of a seeded {@link Random} ({@link JsonBodies},
 * {@link OtlpBodies}, {@link ReadRequests}): valid inputs full of hostile text, then mutated. The
 * run's seed is {@link #DEFAULT_SEED} unless {@code -Dfuzz.seed=<n>} gives another ({@code
 * -Dfuzz.seed=random} draws one), so a CI run is repeatable and a failure names the seed and try that
 * reproduce it: {@code mvn -B verify -Dit.test=HostileInputFuzzIT -Dfuzz.seed=<n> -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Inputs are not shrunk; the failure message shows the
 * whole input and saves its body under {@code target/fuzz/}.
 */
class HostileInputFuzzIT {

    static final int PER_TRY = 8;
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int OTLP_MAX_BODY_BYTES = 2 * 1024 * 1024;
    static final int MIN_INPUTS = 10_000;
    private static final Duration START = Duration.ofSeconds(90);

    static PayaraInstance server;
    static FuzzClient client;
    static ExecutorService pool;
    static String knownTrace;
    /** The properties that ran: the count of inputs is checked only when all did. */
    static final Set<String> PROPERTIES_RUN = ConcurrentHashMap.newKeySet();
    /** The seed of a run that names none: CI runs the same inputs each time. */
    static final long DEFAULT_SEED = 15_2026_12_04L;
    static final long SEED = seed(System.getProperty("fuzz.seed"));

    private static long seed(String asked) {
        if (asked == null || asked.isBlank()) {
            return DEFAULT_SEED;
        }
        return asked.equals("random") ? new java.security.SecureRandom().nextLong() : Long.parseLong(asked.trim());
    }

    @BeforeAll
    static void start() {
        System.out.println("HostileInputFuzzIT: seed " + SEED + " (-Dfuzz.seed=" + SEED + " repeats this run's inputs)");
        Path war = Path.of(System.getProperty("tracestream.war", "target/trace-stream.war")).toAbsolutePath();
        Path work = war.getParent().resolve("fuzz");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("tracestream.ingest.max-batch", "50");
        settings.put("tracestream.ingest.max-body-bytes", Integer.toString(MAX_BODY_BYTES));
        settings.put("tracestream.otlp.max-body-bytes", Integer.toString(OTLP_MAX_BODY_BYTES));
        settings.put("tracestream.trace.max-events", "1000");
        settings.put("tracestream.sse.heartbeat", "PT0.5S");
        settings.put("tracestream.log.format", "plain");
        server = new PayaraInstance("fuzz", work, Path.of(System.getProperty("payara.microJar", "target/payara-micro.jar")),
                war, settings, List.of("-Xmx512m"));
        server.start();
        server.awaitReady(START);
        client = new FuzzClient(URI.create("http://127.0.0.1:" + server.port() + "/"));
        pool = Executors.newFixedThreadPool(4);
        knownTrace = client.freshTrace();
        StringBuilder batch = new StringBuilder("[");
        Random r = new Random(1);
        for (int i = 0; i < 30; i++) {
            JsonBodies.write(batch.append(i == 0 ? "" : ","), JsonBodies.event(r, JsonBodies.Route.TRACE_PATH));
        }
        HttpResponse<String> seeded = client.post("/traces/" + knownTrace + "/events", "application/json",
                new String(FuzzClient.bind(batch.append(']').toString().getBytes(StandardCharsets.UTF_8), JsonBodies.TRACE,
                        knownTrace), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        expect(seeded.statusCode() == 202, "the known trace is stored: " + seeded.body());
    }

    @AfterAll
    static void stop() throws IOException {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (server == null) {
            return;
        }
        server.destroy();
        System.out.printf("HostileInputFuzzIT: %d inputs, %d answered 2xx, %d events stored and checked, %d replays lost once%n",
                client.inputs.get(), client.accepted.get(), client.storedEvents.get(), client.lostReplays.get());
        // The application's own failures: its "Unexpected error" logs, or any stack through its code,
        // except a client that left while its stream was written (Jersey logs that as SEVERE too) and the
        // lost replay counted above. Payara's HTTP layer logs SEVERE for some paths it refuses itself.
        String log = Files.readString(server.log(), StandardCharsets.ISO_8859_1);
        List<String> errors = Arrays.stream(log.split("\n(?=\\[20)"))
                .filter(record -> record.contains("Unexpected error") || record.contains("at io.tracestream."))
                .filter(record -> !record.contains("Connection is closed") && !record.contains("Response is closed")
                        && !record.contains("Broken pipe") && !record.contains("Connection reset"))
                .toList();
        expect(errors.isEmpty(), "the server logged errors:\n" + errors.stream().limit(5).collect(Collectors.joining("\n")));
        if (PROPERTIES_RUN.size() == 3) {
            expect(client.inputs.get() >= MIN_INPUTS, "at least " + MIN_INPUTS + " inputs, got " + client.inputs.get());
        }
    }

    // ---------------------------------------------------------------- properties

    @Test
    void everyJsonIngestBodyIsAnswered2xxOr4xxAndOnly2xxStoresWhatWasSent() {
        PROPERTIES_RUN.add("json");
        tries("json", 500, JsonBodies::input, client::check);
    }

    @Test
    void everyOtlpExportIsAnswered200Or4xxInItsEncodingAndOnly200Stores() {
        PROPERTIES_RUN.add("otlp");
        tries("otlp", 350, OtlpBodies::input, client::check);
    }

    @Test
    void everyParameterAndHeaderValueIsAnswered2xxOr4xxWithAProblem() {
        PROPERTIES_RUN.add("parameters");
        tries("parameters", 450, r -> ReadRequests.request(r, knownTrace), client::check);
    }

    /**
     * {@code count} tries of {@link #PER_TRY} inputs each, every try's inputs drawn from a random
     * source of its own seed (derived from the run's seed and the property), so that the failure
     * message names what repeats it.
     */
    private static <T> void tries(String property, int count, Function<Random, T> generator, Consumer<T> check) {
        Random seeds = new Random(SEED ^ property.hashCode());
        for (int t = 0; t < count; t++) {
            Random source = new Random(seeds.nextLong());
            List<T> inputs = new ArrayList<>(PER_TRY);
            for (int i = 0; i < PER_TRY; i++) {
                inputs.add(generator.apply(source));
            }
            try {
                runAll(inputs, check);
            } catch (AssertionError e) {
                throw new AssertionError(property + " try " + (t + 1) + " of run seed " + SEED
                        + " (-Dfuzz.seed=" + SEED + " repeats it): " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- the hostile bodies of issue 15, one by one

    @Test
    void aHundredThousandNestedArraysAre400NamingTheLimitOnBothJsonIngestPaths() {
        byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        for (String path : List.of("/events", "/traces/" + client.freshTrace() + "/events")) {
            HttpResponse<String> response = client.post(path, "application/json", deep);
            expect(response.statusCode() == 400, path + " answers 400, got " + response.statusCode() + ": " + response.body());
            client.expectProblem(response);
            expect(response.body().contains("nested deeper than 64 levels (tracestream.ingest.max-json-depth)"), response.body());
        }
    }

    @Test
    void aHundredThousandNestedArraysAre400InOtlpJson() {
        String deep = "{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        HttpResponse<String> response = client.post("/v1/traces", "application/json", deep.getBytes(StandardCharsets.US_ASCII));
        expect(response.statusCode() == 400, "OTLP answers 400, got " + response.statusCode() + ": " + response.body());
        expect(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "in OTLP/JSON");
        expect(response.body().contains("\"code\":3") && response.body().contains("nested deeper than 200 levels"), response.body());
    }

    @Test
    void deepNestingInsideAttributesOrInputIs400() {
        for (String inner : List.of("\"attributes\":{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                "\"input\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))) {
            String trace = client.freshTrace();
            HttpResponse<String> response = client.post("/traces/" + trace + "/events", "application/json",
                    ("{\"event_type\":\"message\",\"agent_id\":\"a\"," + inner + "}").getBytes(StandardCharsets.US_ASCII));
            expect(response.statusCode() == 400, response.statusCode() + " " + response.body());
            client.expectProblem(response);
            client.expectNoHistory(trace);
        }
    }

    @Test
    void oddButWellFormedBodiesAreAnswered2xxOr4xxNever5xx() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (String n : List.of("1e999", "-0", "18446744073709551616", "1e999999999", "1e-999999999", "9".repeat(1200))) {
            bodies.put("number " + (n.length() > 20 ? n.length() + " digits" : n), utf8("{\"event_type\":\"llm_call\",\"agent_id\":\"a\","
                    + "\"cost_usd\":" + n + ",\"attributes\":{\"n\":" + n + "}}"));
        }
        bodies.put("invalid UTF-8", concat(utf8("{\"event_type\":\"m\",\"agent_id\":\""), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8("\"}")));
        bodies.put("lone surrogate escaped", utf8("{\"event_type\":\"m\",\"agent_id\":\"a\\ud800b\",\"attributes\":{\"s\":\"\\udc00\"}}"));
        bodies.put("lone surrogate as bytes", concat(utf8("{\"event_type\":\"m\",\"agent_id\":\""), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8("\"}")));
        bodies.put("BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{\"event_type\":\"m\",\"agent_id\":\"a\"}")));
        bodies.put("NUL escaped", utf8("{\"event_type\":\"m\",\"agent_id\":\"a\\u0000b\"}"));
        bodies.put("NUL raw", utf8("{\"event_type\":\"m\",\"agent_id\":\"a\u0000b\"}"));
        bodies.put("duplicate keys", utf8("{\"event_type\":\"m\",\"agent_id\":\"a\",\"agent_id\":\"b\"}"));
        bodies.put("empty", new byte[0]);
        bodies.put("whitespace", utf8(" \r\n\t "));
        bodies.put("10 MB string", utf8("{\"event_type\":\"m\",\"agent_id\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}"));
        for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
            for (String path : List.of("/traces/" + client.freshTrace() + "/events", "/v1/traces")) {
                HttpResponse<String> response = client.post(path, "application/json", body.getValue());
                int status = response.statusCode();
                expect(status == 202 || status == 200 || (status >= 400 && status < 500),
                        body.getKey() + " to " + path + ": " + status + " " + response.body());
                if (status >= 400 && !path.equals("/v1/traces")) {
                    client.expectProblem(response);
                }
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- running a try

    private static final AtomicInteger FAILED = new AtomicInteger();

    /** A failing body whole, in target/fuzz/, to send again by hand (curl --data-binary @file). */
    private static String saved(Object input) {
        byte[] body = input instanceof JsonBodies.Input j ? j.body() : input instanceof OtlpBodies.Input o ? o.body() : null;
        if (body == null) {
            return "";
        }
        Path file = server.log().getParent().resolve("failed-" + FAILED.incrementAndGet() + ".body");
        try {
            Files.write(file, body);
            return "\n  body saved as " + file;
        } catch (IOException e) {
            return "\n  (body not saved: " + e + ")";
        }
    }

    /** Sends the try's inputs in parallel; the first failure fails the try, naming its input. */
    private static <T> void runAll(List<T> inputs, Consumer<T> check) {
        List<Future<?>> futures = new ArrayList<>();
        for (T input : inputs) {
            futures.add(pool.submit(() -> {
                try {
                    check.accept(input);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n  input: " + input + saved(input), e);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AssertionError a) {
                    throw a;
                }
                throw new AssertionError(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
