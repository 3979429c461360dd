package io.tracestream.http;

import static io.tracestream.testing.Api.problem;
import static io.tracestream.testing.Keys.bearer;
import static io.tracestream.testing.Keys.entry;
import static io.tracestream.testing.Keys.with;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.TestDeployments;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The edges of the HTTP answers, as a client meets them with keys configured (issue 24): the
 * security headers on refusals and on the errors the container answers itself, the reason phrase of
 * a 429, no WADL (OPTIONS answered as the route table says, preflights included), a GET that carries
 * a body, and a gzip body cut short.
 */
@ExtendWith(ArquillianExtension.class)
class HttpEdgeIT {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String WRITER = "edge-writer-" + RUN;
    static final String ACME = "edge-acme-" + RUN;
    static final String SLOW = "edge-slow-" + RUN;
    static final String LISTED = "https://dash.example";
    static final String EVENT = "{\"event_type\":\"message\",\"agent_id\":\"a\"}";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String keys = "[" + String.join(",",
                entry("writer", WRITER, "\"ingest\",\"read\"", ""),
                entry("acme", ACME, "\"read\"", "\"trace_prefixes\":[\"acme-\"]"),
                // One event (or span), refilled in 100 s: after the first request, every other is over the rate.
                entry("slow", SLOW, "\"ingest\",\"read\"", "\"rate_per_s\":0.01,\"burst\":1")) + "]";
        return TestDeployments.war(Map.of(
                "tracestream.auth.keys", keys,
                "tracestream.http.allow-origins", LISTED));
    }

    Api api() {
        return new Api(deployment);
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(api().uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void store(String traceId) {
        HttpResponse<String> r = api().post("traces/" + traceId + "/events",
                "{\"event_type\":\"workflow_started\",\"agent_id\":\"a\"}", bearer(WRITER));
        assertEquals(202, r.statusCode(), r.body());
    }

    /** The slow key's burst is one event: after this, its next request is over its rate for 100 s. */
    void spendTheSlowKeysRate() {
        api().post("traces/slow-" + RUN + "/events", EVENT, bearer(SLOW)); // 202, or 429 when spent already
    }

    static String otlpTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    // ------------------------------------------------------------------ security headers on every answer

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";

    /** The headers docs/security.md promises on every response. */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "content-security-policy", CSP,
            "x-content-type-options", "nosniff",
            "referrer-policy", "same-origin",
            "x-frame-options", "DENY");

    static void assertSecurityHeaders(Map<String, List<String>> headers, String what) {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        SECURITY_HEADERS.forEach((name, value) ->
                assertEquals(List.of(value), lower.get(name), what + ": " + name + " in " + headers));
    }

    static HttpResponse<String> problemOf(HttpResponse<String> r, int status) {
        problem(r, status);
        return r;
    }

    @Test
    void refusalsCarryTheSecurityHeaders() {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("401 without a key", problemOf(api().get("traces"), 401));
        answers.put("401 with an unknown key", problemOf(send("GET", "traces", bearer("no-such-key")), 401));
        answers.put("403 outside the key's prefixes", problemOf(send("GET", "traces/zeta-" + RUN, bearer(ACME)), 403));
        answers.put("403 for a scope the key lacks", problemOf(api().post("traces/acme-" + RUN + "/events", EVENT, bearer(ACME)), 403));
        spendTheSlowKeysRate();
        answers.put("429 over the key's rate", problemOf(api().post("traces/slow-" + RUN + "/events", EVENT, bearer(SLOW)), 429));
        HttpResponse<String> otlp = send(HttpRequest.newBuilder(api().uri("v1/traces"))
                .POST(HttpRequest.BodyPublishers.ofString(OtlpSpans.otlpJson(otlpTraceId()))), Map.of("Content-Type", "application/json"));
        assertEquals(401, otlp.statusCode(), otlp.body());
        answers.put("OTLP's 401 without a key", otlp);
        assertAll(answers.entrySet().stream().map(a -> () -> assertSecurityHeaders(a.getValue().headers().map(), a.getKey())));
    }

    @Test
    void errorsTheContainerAnswersItselfAreProblemsWithTheSecurityHeaders() {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        // JAX-RS refuses an Accept header it cannot parse before any resource runs, with sendError.
        answers.put("400 for an Accept header JAX-RS cannot parse",
                problemOf(send("GET", "traces", with(bearer(WRITER), "Accept", "*/*;q=x")), 400));
        answers.put("404 on an unknown path", problemOf(send("GET", "no/such/path", bearer(WRITER)), 404));
        answers.put("405 for a method no resource takes", problemOf(send("DELETE", "traces", bearer(WRITER)), 405));
        // The container refuses these paths itself, before any filter of the application runs.
        answers.put("404 under WEB-INF without a key", problemOf(send("GET", "WEB-INF/beans.xml", Map.of()), 404));
        answers.put("404 under WEB-INF with a key", problemOf(send("GET", "WEB-INF/web.xml", bearer(WRITER)), 404));
        answers.put("404 under META-INF", problemOf(send("GET", "META-INF/MANIFEST.MF", Map.of()), 404));
        assertAll(answers.entrySet().stream().map(a -> () -> assertSecurityHeaders(a.getValue().headers().map(), a.getKey())));
    }

    // ------------------------------------------------------------------ 429's reason phrase

    @Test
    void a429SaysTooManyRequestsOnItsStatusLine() throws IOException {
        spendTheSlowKeysRate();
        byte[] body = EVENT.getBytes(StandardCharsets.UTF_8);
        RawAnswer json = exchange("POST", api().uri("traces/slow-line-" + RUN + "/events").getRawPath(),
                Map.of("Authorization", "Bearer " + SLOW, "Content-Type", "application/json",
                        "Content-Length", Integer.toString(body.length)), body);
        assertEquals("HTTP/1.1 429 Too Many Requests", json.statusLine(), json.head());
        byte[] otlp = OtlpSpans.otlpJson(otlpTraceId()).getBytes(StandardCharsets.UTF_8);
        RawAnswer export = exchange("POST", api().uri("v1/traces").getRawPath(),
                Map.of("Authorization", "Bearer " + SLOW, "Content-Type", "application/json",
                        "Content-Length", Integer.toString(otlp.length)), otlp);
        assertEquals("HTTP/1.1 429 Too Many Requests", export.statusLine(), export.head());
    }

    // ------------------------------------------------------------------ no WADL; OPTIONS as the route table says

    @Test
    void noWadlIsServedAndOptionsAnswersWhatTheRouteTableAllows() {
        assertNoWadl(problemOf(api().get("application.wadl"), 401), "GET application.wadl without a key");
        assertNoWadl(problemOf(api().get("application.wadl?detail=true"), 401), "GET application.wadl?detail=true without a key");
        assertNoWadl(problemOf(send("GET", "application.wadl", bearer(WRITER)), 404), "GET application.wadl with a key");
        assertNoWadl(send("OPTIONS", "traces", Map.of("Accept", "application/vnd.sun.wadl+xml")), "OPTIONS asking for WADL");
        assertNoWadl(send("OPTIONS", "no/such/path", Map.of()), "OPTIONS on an unknown path");
        Map<String, String> allows = Map.of("traces", "GET, HEAD, OPTIONS", "traces/x/events", "GET, POST, OPTIONS",
                "traces/x/stream", "GET, HEAD, OPTIONS", "traces/x", "GET, HEAD, OPTIONS", "v1/traces", "POST, OPTIONS",
                "events", "POST, OPTIONS");
        allows.forEach((path, allow) -> {
            HttpResponse<String> plain = send("OPTIONS", path, Map.of());
            assertNoWadl(plain, "OPTIONS " + path);
            assertTrue(plain.statusCode() < 300, path + ": " + plain.statusCode() + " " + plain.body());
            assertEquals(allow, plain.headers().firstValue("Allow").orElse(null), "OPTIONS " + path);
            HttpResponse<String> preflight = send("OPTIONS", path, Map.of("Origin", LISTED,
                    "Access-Control-Request-Method", allow.split(", ")[0], "Access-Control-Request-Headers", "authorization"));
            assertNoWadl(preflight, "preflight " + path);
            assertTrue(preflight.statusCode() < 300, path + ": " + preflight.statusCode() + " " + preflight.body());
            assertEquals(LISTED, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null), path);
            assertEquals(allow, preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null), path);
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"), path);
            assertSecurityHeaders(preflight.headers().map(), "preflight " + path);
        });
    }

    static void assertNoWadl(HttpResponse<String> r, String what) {
        assertFalse(r.headers().firstValue("Content-Type").orElse("").contains("wadl"), what + ": " + r.headers().map());
        assertFalse(r.body().contains("wadl"), what + ": " + r.body());
    }

    // ------------------------------------------------------------------ a body on a GET

    @Test
    void aGetWithABodyIsAnsweredAsWithoutOne() throws IOException {
        String trace = "get-body-" + RUN;
        store(trace);
        String path = api().uri("traces/" + trace + "/events").getRawPath();
        Map<String, String> key = with(bearer(WRITER), "Accept", "application/json");
        RawAnswer sized = exchange("GET", path, with(key, "Content-Length", "10"),
                "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertEquals("HTTP/1.1 200 OK", sized.statusLine(), sized.head() + "\n\n" + sized.body());
        assertTrue(sized.body().contains("workflow_started"), sized.body());
        RawAnswer chunked = exchange("GET", path, with(key, "Transfer-Encoding", "chunked"),
                "a\r\n0123456789\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("HTTP/1.1 200 OK", chunked.statusLine(), chunked.head() + "\n\n" + chunked.body());
        assertTrue(chunked.body().contains("workflow_started"), chunked.body());
    }

    // ------------------------------------------------------------------ a gzip body cut short

    @Test
    void aTruncatedGzipExportIsRefusedSayingTheGzipBodyEndsEarly() {
        byte[] gzip = gzip(OtlpSpans.otlpJson(otlpTraceId()));
        // Cut inside the trailer, and inside the deflated data: the JDK's EOFException has no message.
        for (int cut : List.of(4, gzip.length / 2)) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(api().uri("v1/traces"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(gzip, gzip.length - cut))),
                    Map.of("Authorization", "Bearer " + WRITER, "Content-Type", "application/json", "Content-Encoding", "gzip"));
            assertEquals(400, r.statusCode(), r.body());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonObject status = Api.json(r);
            assertEquals(3, status.getInt("code"), "INVALID_ARGUMENT: " + r.body());
            String message = status.getString("message");
            assertTrue(message.contains("the gzip body ends early"), "cut " + cut + " bytes short: " + message);
            assertFalse(message.contains("null"), message);
        }
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ raw HTTP/1.1, for what HttpClient hides

    /** An answer read off the socket: its head (status line and headers) and its body as sent. */
    record RawAnswer(String head, String body) {
        String statusLine() {
            return head.lines().findFirst().orElse("");
        }

        /** The headers, by lower-case name. */
        Map<String, List<String>> headers() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            head.lines().skip(1).filter(l -> l.indexOf(':') > 0).forEach(l -> headers.merge(
                    l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT), List.of(l.substring(l.indexOf(':') + 1).trim()),
                    (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
            return headers;
        }
    }

    /**
     * Sends one request exactly as given (path, headers and body byte for byte) with
     * {@code Connection: close}, and reads the whole answer.
     */
    RawAnswer exchange(String method, String rawPath, Map<String, String> headers, byte[] body) throws IOException {
        URI uri = api().uri("");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(rawPath).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            with(headers, "Connection", "close").forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            return end < 0 ? new RawAnswer(all, "") : new RawAnswer(all.substring(0, end), all.substring(end + 4));
        }
    }
}
