package io.tracestream.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A deployed Trace Stream, driven over HTTP as any client would. */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /**
     * How long a read may take before the test gives up on it: a bound on a hang, not on speed. Why
     * so long: Payara builds {@code /openapi} on its first request (about 4 s here), and a machine
     * shared with other work made that pass 10 s in a run; no test here measures time through it.
     */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final URI serverRoot;

    /**
     * @param deployment the URL Arquillian injects. Only its host and port are taken: the Payara
     *                   Micro container reads the context root from the server's start-up output, and
     *                   when it misses that block (seen in a run) it answers the server root; the
     *                   context root of the WAR the tests deploy is known ({@link TestDeployments}).
     */
    public Api(URL deployment) {
        this(URI.create(deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort() + "/")
                .resolve(TestDeployments.contextRoot() + "/"));
    }

    private Api(URI base) {
        this.base = base;
        this.serverRoot = base.resolve("/");
    }

    /** A server the test started itself (a {@code PayaraInstance}), whose application is at {@code base}. */
    public static Api at(URI base) {
        return new Api(base.toString().endsWith("/") ? base : URI.create(base + "/"));
    }

    public URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Endpoints Payara serves at the server root whatever the application's context root. */
    public URI serverUri(String path) {
        return serverRoot.resolve(path);
    }

    public HttpResponse<String> post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Posts a body of another type (an OTLP protobuf export, say). */
    public HttpResponse<String> post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<String> post(String path, String json) {
        return post(path, json, Map.of());
    }

    /** Posts events to a trace and returns the ids answered, failing unless the answer is 202. */
    public List<String> append(String traceId, String json) {
        HttpResponse<String> response = post("traces/" + traceId + "/events", json);
        if (response.statusCode() != 202) {
            throw new AssertionError("expected 202, got " + response.statusCode() + ": " + response.body());
        }
        return json(response).getJsonArray("ids").getValuesAs(JsonValue::toString).stream()
                .map(s -> s.substring(1, s.length() - 1)).toList();
    }

    public HttpResponse<String> get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(READ_TIMEOUT);
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return get(uri(path), Map.of());
    }

    /** A gauge or counter of this instance, read from {@code /metrics} as Prometheus would. */
    public double metric(String name) {
        String text = Metrics.requireText(get(serverUri("metrics?scope=application"), Map.of()));
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("metric " + name + " not found in /metrics:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The problem document of {@code response}, failing unless it is one with this status. */
    public static JsonObject problem(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0];
        if (!type.equals("application/problem+json")) {
            throw new AssertionError("expected application/problem+json, got " + type + ": " + response.body());
        }
        JsonObject body = json(response);
        if (body.getInt("status") != status) {
            throw new AssertionError("the document's status is not " + status + ": " + response.body());
        }
        return body;
    }

    public static JsonObject json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
