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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing (jqwik) of everything a client sends, against the built WAR in one
 * Payara Micro (in-memory store): JSON API ingest bodies, OTLP/HTTP exports in both encodings, and
 * every query parameter and header the server reads. For each input {@link FuzzClient} checks the
 * answer is 2xx or 4xx (never 5xx) with a problem document, that a trace holds exactly what 2xx
 * requests sent, that every SSE frame of a stored event is one JSON document equal to it (CR, LF,
 * NUL, U+2028 in every field), and that the trace page and the Mermaid diagram carry no markup an
 * event brought. Over 10,000 inputs a run, in about two minutes: each try sends 8 inputs in parallel.
 *
 * <p>Replaying a failure: jqwik prints the failing property's {@code seed}; the next run of the
 * class tries that seed first (jqwik's database is {@code target/jqwik-database}, see
 * {@code junit-platform.properties}). To replay a given seed, add {@code seed = "<seed>"} to the
 * property's {@code @Property} and run
 * {@code mvn -B verify -Dit.test=HostileInputFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 * Inputs are drawn from jqwik's seeded random source ({@code Arbitraries.randomValue}), so a seed
 * gives the same inputs; they are not shrunk, the failure message shows the whole input.
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

    @BeforeContainer
    static void start() {
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

    @AfterContainer
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

    @Property(tries = 500)
    void everyJsonIngestBodyIsAnswered2xxOr4xxAndOnly2xxStoresWhatWasSent(@ForAll("jsonInputs") List<JsonBodies.Input> inputs) {
        PROPERTIES_RUN.add("json");
        runAll(inputs, client::check);
    }

    @Property(tries = 350)
    void everyOtlpExportIsAnswered200Or4xxInItsEncodingAndOnly200Stores(@ForAll("otlpInputs") List<OtlpBodies.Input> inputs) {
        PROPERTIES_RUN.add("otlp");
        runAll(inputs, client::check);
    }

    @Property(tries = 450)
    void everyParameterAndHeaderValueIsAnswered2xxOr4xxWithAProblem(@ForAll("readRequests") List<ReadRequests.Request> inputs) {
        PROPERTIES_RUN.add("parameters");
        runAll(inputs, client::check);
    }

    @Provide
    Arbitrary<List<JsonBodies.Input>> jsonInputs() {
        return Arbitraries.randomValue(JsonBodies::input).list().ofSize(PER_TRY);
    }

    @Provide
    Arbitrary<List<OtlpBodies.Input>> otlpInputs() {
        return Arbitraries.randomValue(OtlpBodies::input).list().ofSize(PER_TRY);
    }

    @Provide
    Arbitrary<List<ReadRequests.Request>> readRequests() {
        return Arbitraries.randomValue(r -> ReadRequests.request(r, knownTrace)).list().ofSize(PER_TRY);
    }

    // ---------------------------------------------------------------- the hostile bodies of issue 15, one by one

    @Example
    void aHundredThousandNestedArraysAre400NamingTheLimitOnBothJsonIngestPaths() {
        byte[] deep = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII);
        for (String path : List.of("/events", "/traces/" + client.freshTrace() + "/events")) {
            HttpResponse<String> response = client.post(path, "application/json", deep);
            expect(response.statusCode() == 400, path + " answers 400, got " + response.statusCode() + ": " + response.body());
            client.expectProblem(response);
            expect(response.body().contains("nested deeper than 64 levels (tracestream.ingest.max-json-depth)"), response.body());
        }
    }

    @Example
    void aHundredThousandNestedArraysAre400InOtlpJson() {
        String deep = "{\"resourceSpans\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        HttpResponse<String> response = client.post("/v1/traces", "application/json", deep.getBytes(StandardCharsets.US_ASCII));
        expect(response.statusCode() == 400, "OTLP answers 400, got " + response.statusCode() + ": " + response.body());
        expect(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "in OTLP/JSON");
        expect(response.body().contains("\"code\":3") && response.body().contains("nested deeper than 200 levels"), response.body());
    }

    @Example
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

    @Example
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
