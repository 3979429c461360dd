package io.tracestream.api;

import static io.tracestream.testing.Api.problem;
import static io.tracestream.testing.Keys.bearer;
import static io.tracestream.testing.Keys.entry;
import static io.tracestream.testing.Keys.with;
import static io.tracestream.testing.OtlpSpans.otlpJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.TestDeployments;
import io.tracestream.testkit.PayaraInstance;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Access control as a client meets it, with keys configured: 401 without or with an unknown key
 * (with its challenges), 403 for a scope or trace prefix the key lacks (nothing stored, the same
 * words whether the trace exists), only covered traces in the lists, OTLP refusals in OTLP's own
 * format, HTTP Basic, 429 for a key's rate and streams, CORS for a listed origin only, and keys
 * rotated through the keys file without a restart. Then a second server without keys whose open
 * network excludes loopback, so loopback is refused.
 */
@ExtendWith(ArquillianExtension.class)
class AccessControlIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String WRITER = "writer-key-" + RUN;
    static final String READER = "reader-key-" + RUN;
    static final String ACME = "acme-key-" + RUN;
    static final String SLOW = "slow-key-" + RUN;
    static final String WATCHER = "watcher-key-" + RUN;
    static final String OTEL = "otel-key-" + RUN;
    static final String OTEL_SLOW = "otel-slow-key-" + RUN;
    static final String OLD = "old-key-" + RUN;
    static final String NEW = "new-key-" + RUN;
    static final String VIEWER = "viewer-key-" + RUN;
    static final String VIEWER_REHASHED = "viewer-rehashed-key-" + RUN;
    static final String LISTED = "https://dash.example";
    static final Path KEYS_FILE = Path.of("target", "access-control-it-keys-" + RUN + ".json").toAbsolutePath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        writeKeysFile(entry("old", OLD, "\"read\"", ""));
        String keys = "[" + String.join(",",
                entry("writer", WRITER, "\"ingest\",\"read\"", ""),
                entry("reader", READER, "\"read\"", ""),
                entry("acme", ACME, "\"ingest\",\"read\"", "\"trace_prefixes\":[\"acme-\"]"),
                entry("slow", SLOW, "\"ingest\",\"read\"", "\"rate_per_s\":1,\"burst\":2"),
                entry("watcher", WATCHER, "\"read\"", "\"max_streams\":1"),
                entry("otel", OTEL, "\"ingest\"", "\"trace_prefixes\":[\"ab\"]"),
                // Refills one span a minute and a half: a second export within the test is over for sure.
                entry("otel-slow", OTEL_SLOW, "\"ingest\",\"read\"", "\"rate_per_s\":0.01,\"burst\":2")) + "]";
        return TestDeployments.war(Map.of(
                "tracestream.auth.keys", keys,
                "tracestream.auth.keys-file", KEYS_FILE.toString(),
                "tracestream.http.allow-origins", LISTED + ",https://other.example"));
    }

    /** Replaces the keys file whole (written aside, then moved), as docs/security.md says to. */
    static void writeKeysFile(String... entries) throws IOException {
        Path next = KEYS_FILE.resolveSibling(KEYS_FILE.getFileName() + ".next");
        Files.writeString(next, "[" + String.join(",", entries) + "]");
        Files.move(next, KEYS_FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String event(String type, String agent) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"}";
    }

    Api api() {
        return new Api(deployment);
    }

    /**
     * A guard against a hung server, not a speed bound: a fresh instance's first /openapi answer took
     * 15.6 s on the shared machine under load (it builds the document), and 10 s failed there.
     */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(60);

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api().uri(path)).timeout(ANSWER_WITHIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        return api().get(api().uri(path), headers);
    }

    /** Posts events as the writer and fails unless stored. */
    void store(String traceId, String json) {
        HttpResponse<String> r = api().post("traces/" + traceId + "/events", json, bearer(WRITER));
        assertEquals(202, r.statusCode(), r.body());
    }

    @Test
    void withoutAKeyOrWithAnUnknownOneTheAnswerIs401WithBothChallengesToABrowserOnlyBearer() throws Exception {
        Metrics before = Metrics.scrape(api());
        for (String reason : List.of("missing", "unknown_key", "scope", "prefix", "network", "rate_limited", "too_many_streams",
                "throttled")) {
            before.require("tracestream_auth_failures_total", Map.of("reason", reason)); // exported from the start, for the alert
        }
        JsonObject missing = problem(get("traces", Map.of()), 401);
        assertTrue(missing.getString("detail").contains("Authorization: Bearer <key>"), missing.toString());
        List<String> challenges = get("traces", Map.of()).headers().allValues("WWW-Authenticate");
        assertTrue(challenges.contains("Bearer realm=\"trace-stream\""), challenges.toString());
        assertTrue(challenges.contains("Basic realm=\"trace-stream\""), challenges.toString());
        // A browser would open its own password dialog on a Basic challenge, stalling the dashboard's
        // fetch and EventSource instead of letting the page send the user to sign in.
        assertEquals(List.of("Bearer realm=\"trace-stream\""), get("traces", Map.of("Sec-Fetch-Mode", "cors"))
                .headers().allValues("WWW-Authenticate"));

        JsonObject unknown = problem(get("traces", bearer("not-a-key")), 401);
        assertFalse(unknown.toString().contains("not-a-key"), "the presented key is never repeated");
        problem(api().post("events", event("message", "a"), Map.of()), 401);

        // A person at a page is sent to sign in, and back afterwards; the page's assets stay public.
        HttpResponse<String> page = get("ui/traces/x?y=1", Map.of());
        assertEquals(303, page.statusCode());
        String root = api().uri("").getPath().replaceAll("/$", ""); // the context root, /trace-stream here
        assertEquals(root + "/ui/sign-in?next=" + java.net.URLEncoder.encode(root + "/ui/traces/x?y=1", StandardCharsets.UTF_8),
                page.headers().firstValue("Location").orElseThrow());
        assertEquals(200, get("static/css/app.css", Map.of()).statusCode());

        // Payara's own endpoints are outside the application and its filter.
        assertEquals(200, api().get(api().serverUri("health/ready"), Map.of()).statusCode());
        Metrics after = Metrics.scrape(api());
        assertTrue(after.counter("tracestream_auth_failures_total", Map.of("reason", "missing"))
                - before.counter("tracestream_auth_failures_total", Map.of("reason", "missing")) >= 3);
        assertTrue(after.counter("tracestream_auth_failures_total", Map.of("reason", "unknown_key"))
                - before.counter("tracestream_auth_failures_total", Map.of("reason", "unknown_key")) >= 1);
    }

    @Test
    void aKeyWorksAsBearerAndAsTheBasicPassword() {
        String trace = "basic-" + RUN;
        store(trace, event("workflow_started", "a"));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("whoever:" + READER).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, get("traces/" + trace, Map.of("Authorization", basic)).statusCode());
        assertEquals(200, get("traces/" + trace, bearer(READER)).statusCode());
    }

    @Test
    void aReadOnlyKeyPostingIsForbiddenAndNothingIsStored() {
        String trace = "readonly-" + RUN;
        JsonObject body = problem(api().post("traces/" + trace + "/events", event("message", "a"), bearer(READER)), 403);
        assertTrue(body.getString("detail").contains("\"ingest\""), body.toString());
        problem(api().post("events", event("message", "a"), with(bearer(READER), "X-Trace-ID", trace)), 403);
        problem(send("POST", "ui/demo", "", bearer(READER)), 403);
        problem(get("traces/" + trace, bearer(WRITER)), 404);
    }

    @Test
    void aPrefixKeyIngestsOnlyIntoItsTracesAndStoresNothingOfABatchThatStraysOutside() {
        String inside = "acme-" + RUN;
        String outside = "other-" + RUN;
        assertEquals(202, api().post("traces/" + inside + "/events", event("workflow_started", "a"), bearer(ACME)).statusCode());
        problem(api().post("traces/" + outside + "/events", event("message", "a"), bearer(ACME)), 403);
        problem(api().post("events", event("message", "a"), with(bearer(ACME), "X-Trace-ID", outside)), 403);
        String batch = "[{\"event_type\":\"message\",\"agent_id\":\"a\",\"trace_id\":\"" + inside + "-2\"},"
                + "{\"event_type\":\"message\",\"agent_id\":\"a\",\"trace_id\":\"" + outside + "\"}]";
        problem(api().post("events", batch, bearer(ACME)), 403);
        JsonObject minted = problem(api().post("events", event("message", "a"), bearer(ACME)), 403);
        assertTrue(minted.getString("detail").contains("acme-"), minted.toString());
        problem(get("traces/" + outside, bearer(WRITER)), 404);
        problem(get("traces/" + inside + "-2", bearer(WRITER)), 404);
        assertEquals(200, get("traces/" + inside, bearer(WRITER)).statusCode());
    }

    @Test
    void aPrefixKeyReadsAndListsOnlyItsTracesAndCannotTellWhetherAnotherExists() throws Exception {
        String mine = "acme-list-" + RUN;
        String theirs = "zeta-list-" + RUN;
        store(mine, event("workflow_started", "a"));
        store(theirs, event("workflow_started", "a"));

        JsonObject existing = problem(get("traces/" + theirs, bearer(ACME)), 403);
        JsonObject absent = problem(get("traces/zeta-absent-" + RUN, bearer(ACME)), 403);
        assertEquals(existing, absent, "the same answer whether or not the trace exists");
        problem(get("traces/" + theirs + "/events", bearer(ACME)), 403);
        problem(get("traces/" + theirs + "/diagram", bearer(ACME)), 403);
        problem(get("traces;v=1/" + theirs, bearer(ACME)), 403); // matrix parameters do not hide the trace
        problem(get("ui/traces/" + theirs, bearer(ACME)), 403);
        try (SseClient stream = SseClient.open(api().uri("traces/" + theirs + "/stream"), bearer(ACME))) {
            assertEquals(403, stream.status());
        }

        List<String> listed = ids(Api.json(get("traces?limit=1000", bearer(ACME))), "traces");
        assertTrue(listed.contains(mine), listed.toString());
        assertTrue(listed.stream().allMatch(id -> id.startsWith("acme-")), listed.toString());
        assertTrue(ids(Api.json(get("traces?limit=1000", bearer(WRITER))), "traces").contains(theirs));
        List<String> rows = ids(Api.json(get("ui/list.json", bearer(ACME))), "traces");
        assertTrue(rows.contains(mine), rows.toString());
        assertTrue(rows.stream().allMatch(id -> id.startsWith("acme-")), rows.toString());
        HttpResponse<String> page = get("", bearer(ACME));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains(mine));
        assertFalse(page.body().contains(theirs), "the list page shows only covered traces");

        // The live list stream: a change to another's trace is not sent, one to ours is.
        try (SseClient list = SseClient.open(api().uri("traces"), bearer(ACME))) {
            assertEquals(200, list.status());
            store(theirs, event("message", "b"));
            store(mine, event("message", "b"));
            SseClient.Message row = list.take(1, WAIT).get(0);
            assertTrue(row.data().contains(mine), row.toString());
            assertFalse(list.drain(Duration.ofMillis(1500)).stream().anyMatch(m -> m.data().contains(theirs)));
        }
    }

    static List<String> ids(JsonObject page, String field) {
        return page.getJsonArray(field).stream().map(v -> v.asJsonObject().getString("trace_id")).toList();
    }

    @Test
    void otlpRefusalsAreInOtlpsOwnFormatAndItsSpansAreAcceptedOrRejectedWhole() throws Exception {
        String ours = "ab" + UUID.randomUUID().toString().replace("-", "").substring(2);
        String stray = "cd" + UUID.randomUUID().toString().replace("-", "").substring(2);
        // No key: 401 with a google.rpc.Status in the request's encoding.
        HttpResponse<String> json = send("POST", "v1/traces", otlpJson(ours), Map.of("Content-Type", "application/json"));
        assertEquals(401, json.statusCode());
        assertEquals("application/json", json.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(16, Api.json(json).getInt("code"), json.body());
        assertTrue(json.headers().allValues("WWW-Authenticate").contains("Bearer realm=\"trace-stream\""));
        HttpResponse<byte[]> proto = HTTP.send(HttpRequest.newBuilder(api().uri("v1/traces"))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, proto.statusCode());
        assertEquals("application/x-protobuf", proto.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        CodedInputStream status = CodedInputStream.newInstance(proto.body());
        assertEquals(1 << 3, status.readTag(), "field 1, code");
        assertEquals(16, status.readInt32(), "UNAUTHENTICATED");

        // A read key may not export; a key limited to "ab" may not export a trace outside it, even beside one inside.
        assertEquals(7, Api.json(send("POST", "v1/traces", otlpJson(ours), with(bearer(READER), "Content-Type", "application/json"))).getInt("code"));
        HttpResponse<String> mixed = send("POST", "v1/traces", otlpJson(ours, stray), with(bearer(OTEL), "Content-Type", "application/json"));
        assertEquals(403, mixed.statusCode(), mixed.body());
        assertEquals(7, Api.json(mixed).getInt("code"), "PERMISSION_DENIED");
        problem(get("traces/" + ours, bearer(WRITER)), 404);

        HttpResponse<String> ok = send("POST", "v1/traces", otlpJson(ours), with(bearer(OTEL), "Content-Type", "application/json"));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(200, get("traces/" + ours, bearer(WRITER)).statusCode());
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndNothingOfThatRequestIsStored() {
        String trace = "slow-" + RUN;
        assertEquals(202, api().post("traces/" + trace + "/events", "[" + event("workflow_started", "a") + ","
                + event("message", "a") + "]", bearer(SLOW)).statusCode(), "the burst of 2");
        HttpResponse<String> limited = api().post("traces/" + trace + "/events", "[" + event("message", "b") + ","
                + event("message", "b") + "]", bearer(SLOW));
        JsonObject body = problem(limited, 429);
        assertTrue(body.getString("detail").contains("1 events per second"), body.toString());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
        assertEquals(2, Api.json(get("traces/" + trace + "/events", bearer(WRITER))).getJsonArray("events").size());
    }

    @Test
    void anOtlpExportOverTheKeysRateGets429WithRetryAfterInOtlpsFormatAndStoresNothing() {
        String first = "ef" + UUID.randomUUID().toString().replace("-", "").substring(2);
        String second = "ef" + UUID.randomUUID().toString().replace("-", "").substring(2);
        HttpResponse<String> ok = send("POST", "v1/traces", otlpJson(first, first),
                with(bearer(OTEL_SLOW), "Content-Type", "application/json"));
        assertEquals(200, ok.statusCode(), "the burst of 2 spans: " + ok.body());
        HttpResponse<String> limited = send("POST", "v1/traces", otlpJson(second),
                with(bearer(OTEL_SLOW), "Content-Type", "application/json"));
        assertEquals(429, limited.statusCode(), limited.body());
        assertEquals("application/json", limited.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals(8, Api.json(limited).getInt("code"), "RESOURCE_EXHAUSTED: " + limited.body());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        problem(get("traces/" + second, bearer(WRITER)), 404);
    }

    @Test
    void aKeyOpeningMoreStreamsThanItsMaximumGets429UntilOneEnds() throws Exception {
        String trace = "watched-" + RUN;
        store(trace, event("workflow_started", "a"));
        URI stream = api().uri("traces/" + trace + "/stream");
        try (SseClient first = SseClient.open(stream, bearer(WATCHER))) {
            assertEquals(200, first.status());
            first.take(1, WAIT);
            try (SseClient second = SseClient.open(stream, bearer(WATCHER))) {
                assertEquals(429, second.status());
            }
            HttpResponse<String> list = get("traces", with(bearer(WATCHER), "Accept", "text/event-stream"));
            problem(list, 429); // list streams count too
            try (SseClient other = SseClient.open(stream, bearer(READER))) {
                assertEquals(200, other.status(), "another key has its own count");
            }
        }
        // The server notices at once that the client left, and gives the slot back (StreamSlotReleaseIT).
        await("the watcher's stream slot is free again", () -> {
            try (SseClient again = SseClient.open(stream, bearer(WATCHER))) {
                return again.status() == 200;
            }
        });
    }

    @Test
    void corsAnswersAListedOriginOnlyAndItsPreflightAllowsTheAuthorizationHeader() {
        HttpResponse<String> listed = get("traces", with(bearer(READER), "Origin", LISTED));
        assertEquals(200, listed.statusCode());
        assertEquals(LISTED, listed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(listed.headers().allValues("Vary").stream().anyMatch(v -> v.contains("Origin")));
        HttpResponse<String> unlisted = get("traces", with(bearer(READER), "Origin", "https://evil.example"));
        assertEquals(200, unlisted.statusCode());
        assertNull(unlisted.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        // A refusal still reaches a listed dashboard's script, so it can ask its user to sign in.
        assertEquals(LISTED, get("traces", Map.of("Origin", LISTED)).headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        for (String path : List.of("traces/x/events", "traces", "v1/traces", "traces/x/stream")) {
            Map<String, String> ask = Map.of("Origin", LISTED, "Access-Control-Request-Method", "GET",
                    "Access-Control-Request-Headers", "authorization");
            HttpResponse<String> preflight = send("OPTIONS", path, null, ask);
            assertTrue(preflight.statusCode() < 300, path + ": " + preflight.statusCode() + " " + preflight.body());
            assertEquals(LISTED, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"), path);
            HttpResponse<String> refused = send("OPTIONS", path, null, with(ask, "Origin", "https://evil.example"));
            assertNull(refused.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            assertNull(refused.headers().firstValue("Access-Control-Allow-Methods").orElse(null), path);
        }
    }

    @Test
    void keysRotateThroughTheKeysFileWithoutARestart() throws Exception {
        assertEquals(200, get("traces", bearer(OLD)).statusCode());
        problem(get("traces", bearer(NEW)), 401);
        writeKeysFile(entry("old", OLD, "\"read\"", ""), entry("new", NEW, "\"read\"", ""));
        await("the new key accepted beside the old", () -> get("traces", bearer(NEW)).statusCode() == 200);
        assertEquals(200, get("traces", bearer(OLD)).statusCode(), "both work during the switch");
        writeKeysFile(entry("new", NEW, "\"read\"", ""));
        await("the old key refused", () -> get("traces", bearer(OLD)).statusCode() == 401);
        assertEquals(200, get("traces", bearer(NEW)).statusCode());
        // A broken file keeps the last good keys.
        Files.writeString(KEYS_FILE, "[{\"name\":");
        Thread.sleep(1500);
        assertEquals(200, get("traces", bearer(NEW)).statusCode());
    }

    @Test
    void aBrowserSessionEndsAsSoonAsItsKeyIsReHashedAndNarrowedUnderTheSameName() throws Exception {
        // Issue 24: the old key was refused at once, but its session still read outside the new prefix for 8 h.
        String outsideNewPrefix = "acme-x-" + RUN;
        store(outsideNewPrefix, event("workflow_started", "a"));
        writeKeysFile(entry("old", OLD, "\"read\"", ""),
                entry("viewer", VIEWER, "\"read\"", "\"trace_prefixes\":[\"acme-\"]"));
        await("the viewer key accepted", () -> get("traces/" + outsideNewPrefix, bearer(VIEWER)).statusCode() == 200);
        Map<String, String> session = Map.of("Cookie", signIn(VIEWER));
        assertEquals(200, get("traces/" + outsideNewPrefix, session).statusCode());

        writeKeysFile(entry("old", OLD, "\"read\"", ""),
                entry("viewer", VIEWER_REHASHED, "\"read\"", "\"trace_prefixes\":[\"acme-eu-\"]"));
        await("the new viewer key accepted", () -> get("traces?limit=1", bearer(VIEWER_REHASHED)).statusCode() == 200);
        JsonObject ended = problem(get("traces/" + outsideNewPrefix, session), 401);
        assertTrue(ended.getString("detail").contains("sign in again"), ended.toString());
        HttpResponse<String> page = get("ui/traces/" + outsideNewPrefix, session);
        assertEquals(303, page.statusCode(), "a browser is sent to sign in");
        assertTrue(page.headers().firstValue("Location").orElse("").contains("/ui/sign-in?next="));

        // Signed in again with the key as it is now: its new prefix only.
        Map<String, String> renewed = Map.of("Cookie", signIn(VIEWER_REHASHED));
        problem(get("traces/" + outsideNewPrefix, renewed), 403);
        assertEquals(200, get("traces?limit=1", renewed).statusCode());
    }

    /** Signs in on the dashboard's page as a browser would, and answers the session cookie ({@code ts_session=...}). */
    String signIn(String key) {
        HttpResponse<String> r = send("POST", "ui/sign-in", "key=" + key + "&next=%2F", Map.of(
                "Content-Type", "application/x-www-form-urlencoded",
                "Origin", deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort()));
        assertEquals(303, r.statusCode(), r.body());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    @Test
    void withoutKeysAnOpenNetworkThatExcludesLoopbackRefusesLoopback() throws Exception {
        Path target = Path.of(System.getProperty("tracestream.war", "target/trace-stream.war")).toAbsolutePath().getParent();
        PayaraInstance server = new PayaraInstance("access-closed-" + RUN, target, Path.of(System.getProperty(
                "payara.microJar", "target/payara-micro.jar")), target.resolve("trace-stream.war"),
                Map.of("tracestream.auth.open-networks", "10.0.0.0/8,fd00::/8"),
                List.of("-Xmx256m"));
        try {
            server.start();
            server.awaitReady(Duration.ofSeconds(120));
            Api closed = Api.at(server.uri("/"));
            JsonObject body = problem(closed.get("traces"), 403);
            assertTrue(body.getString("detail").contains("tracestream.auth.keys"), "says how to configure keys: " + body);
            problem(closed.post("traces/t/events", event("message", "a")), 403);
            HttpResponse<String> otlp = closed.post("v1/traces", otlpJson("ab" + "0".repeat(30)));
            assertEquals(403, otlp.statusCode());
            assertEquals(7, Api.json(otlp).getInt("code"));
            assertTrue(server.logContains("Access: protected mode"), "the mode is logged at start");
            // Deployed at the root, Payara's own endpoints pass the application's filter: they stay open
            // (probes, Prometheus; no trace data), as do the dashboard's static files.
            for (String open : List.of("health/ready", "metrics", "openapi", "static/css/app.css")) {
                assertEquals(200, closed.get(open).statusCode(), open);
            }
        } finally {
            server.destroy();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    static String string(JsonObject o, String field) {
        return o.get(field) instanceof JsonString s ? s.getString() : null;
    }
}
