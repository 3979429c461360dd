package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;

import io.tracestream.testkit.RedisServer;
import io.tracestream.testing.TestDeployments;
import java.net.http.HttpResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the Redis backend, plus what only a deployed server shows: OpenAPI and readiness. */
@ExtendWith(ArquillianExtension.class)
class RedisBackendIT extends TraceStreamContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.withRedis(RedisServer.sharedUrl());
    }

    @Test
    void readinessReportsTheRedisBackendUp() {
        HttpResponse<String> ready = api.get(api.serverUri("health/ready"), Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"backend\":\"redis\""), ready.body());
    }

    @Test
    void openApiDescribesTheStreamTheEventSchemaHeadersAndProblems() {
        JsonObject doc = Api.json(api.get(api.serverUri("openapi"), Map.of("Accept", "application/json")));
        JsonObject paths = doc.getJsonObject("paths");

        JsonObject stream = paths.getJsonObject("/traces/{trace_id}/stream").getJsonObject("get");
        assertTrue(response(doc, stream, "200").getJsonObject("content").containsKey("text/event-stream"), stream.toString());
        assertTrue(parameters(doc, stream, "header").contains("Last-Event-ID"), stream.toString());
        assertProblem(doc, stream, "400");
        assertProblem(doc, stream, "404");

        for (String ingest : List.of("/traces/{trace_id}/events", "/events")) {
            JsonObject post = paths.getJsonObject(ingest).getJsonObject("post");
            assertTrue(response(doc, post, "202").getJsonObject("headers").containsKey("X-Trace-ID"), ingest);
            assertProblem(doc, post, "400");
            assertProblem(doc, post, "503");
            assertTrue(response(doc, post, "503").getJsonObject("headers").containsKey("Retry-After"), ingest);
        }
        assertTrue(parameters(doc, paths.getJsonObject("/events").getJsonObject("post"), "header").contains("X-Trace-ID"));

        JsonObject event = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("TraceEvent");
        assertEquals(Set.of("trace_id", "event_type", "agent_id", "timestamp", "span_id", "parent_span_id", "task_id",
                "status", "duration_ms", "error", "model", "input_tokens", "output_tokens", "cost_usd", "event_id",
                "attributes", "id", "input", "output", "content"), event.getJsonObject("properties").keySet());
        JsonObject content = paths.getJsonObject("/traces/{trace_id}/events/{event_id}/content").getJsonObject("get");
        assertTrue(response(doc, content, "200").getJsonObject("content").containsKey("application/json"), content.toString());
        assertProblem(doc, content, "404");
        assertEquals(Set.of("event_type", "agent_id"), Set.copyOf(event.getJsonArray("required").getValuesAs(JsonString::getString)));
    }

    @Test
    void openApiHasNoFalseConstraintsAndEveryPathParameterIsRequired() {
        String doc = api.get(api.serverUri("openapi"), Map.of("Accept", "application/json")).body();
        // Payara writes these into every schema unless OpenApiCleanup takes them out; a client
        // generator would read maxProperties 0 as "no properties allowed".
        for (String noise : List.of("\"maxProperties\":0", "\"minLength\":0", "\"exclusiveMaximum\":false", "\"nullable\":false")) {
            assertFalse(doc.replace(" ", "").contains(noise), "/openapi still says " + noise);
        }
        JsonObject paths = Api.json(api.get(api.serverUri("openapi"), Map.of("Accept", "application/json"))).getJsonObject("paths");
        for (String path : paths.keySet()) {
            for (JsonValue operation : paths.getJsonObject(path).values()) {
                JsonArray params = operation.asJsonObject().getJsonArray("parameters");
                for (JsonObject p : params == null ? List.<JsonObject>of() : params.getValuesAs(JsonObject.class)) {
                    if ("path".equals(p.getString("in", ""))) {
                        assertTrue(p.getBoolean("required", false), path + " " + p);
                    }
                }
            }
        }
    }

    /** An operation's response for a status, with a {@code $ref} to the shared responses followed. */
    private static JsonObject response(JsonObject doc, JsonObject operation, String status) {
        JsonObject response = operation.getJsonObject("responses").getJsonObject(status);
        assertNotNull(response, "no " + status + " response in " + operation);
        return resolve(doc, response);
    }

    private static void assertProblem(JsonObject doc, JsonObject operation, String status) {
        JsonObject content = response(doc, operation, status).getJsonObject("content");
        assertNotNull(content, status + " has no content");
        assertTrue(content.containsKey("application/problem+json"), status + ": " + content.keySet());
    }

    private static Set<String> parameters(JsonObject doc, JsonObject operation, String in) {
        return operation.getJsonArray("parameters").getValuesAs(JsonObject.class).stream()
                .map(p -> resolve(doc, p)).filter(p -> in.equals(p.getString("in")))
                .map(p -> p.getString("name")).collect(Collectors.toSet());
    }

    private static JsonObject resolve(JsonObject doc, JsonObject maybeRef) {
        if (!maybeRef.containsKey("$ref")) {
            return maybeRef;
        }
        JsonObject at = doc;
        for (String part : maybeRef.getString("$ref").substring(2).split("/")) {
            at = at.getJsonObject(part);
        }
        return at;
    }
}
