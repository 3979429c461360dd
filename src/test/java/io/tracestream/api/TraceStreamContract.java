package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.SseClient;
import io.tracestream.testing.SseClient.Message;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every backend must do, proved against a deployed server over HTTP. Subclasses deploy the
 * WAR on Redis and on the in-memory backend; the same tests pass on both.
 */
abstract class TraceStreamContract {

    static final Duration WAIT = Duration.ofSeconds(10);
    /** Late clients of one finished trace opened together, so that their streams end while others open. */
    private static final int LATE_CLIENTS_PER_WAVE = 20;
    /** Waves of late clients: the interleaving that lost a client's stream was rare. */
    private static final int LATE_CLIENT_WAVES = 10;

    @ArquillianResource
    URL deployment;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    static String newTraceId() {
        return "t-" + UUID.randomUUID();
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    URI stream(String traceId, String query) {
        return api.uri("traces/" + traceId + "/stream" + (query.isEmpty() ? "" : "?" + query));
    }

    static JsonObject data(Message m) {
        return Json.createReader(new StringReader(m.data())).readObject();
    }

    @Test
    void threeAgentChainStreamsLiveInOrderWithIdsAsSseIds() {
        String trace = newTraceId();
        api.append(trace, event("workflow_started", "orchestrator", "\"span_id\":\"root\""));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            assertEquals(200, client.status());
            assertEquals("text/event-stream", client.response().headers().firstValue("Content-Type").orElse(""));
            List<String> ids = new ArrayList<>(api.append(trace, "["
                    + event("agent_called", "dependent-service", "\"span_id\":\"s1\",\"parent_span_id\":\"root\"") + ","
                    + event("agent_called", "fastmcp-service", "\"span_id\":\"s2\",\"parent_span_id\":\"s1\"") + ","
                    + event("agent_called", "system-agent", "\"span_id\":\"s3\",\"parent_span_id\":\"s2\"") + "]"));
            List<Message> got = client.take(4, WAIT);
            assertEquals("workflow_started", data(got.get(0)).getString("event_type"));
            assertNotNull(got.get(0).retry(), "the first event carries the retry: hint");
            List<String> agents = got.subList(1, 4).stream().map(m -> data(m).getString("agent_id")).toList();
            assertEquals(List.of("dependent-service", "fastmcp-service", "system-agent"), agents);
            assertEquals(ids, got.subList(1, 4).stream().map(Message::id).toList());
            for (Message m : got) {
                JsonObject json = data(m);
                assertEquals(m.id(), json.getString("id"), "the SSE id is the event's id");
                assertEquals(trace, json.getString("trace_id"));
                assertTrue(json.getString("timestamp").endsWith("Z"), "timestamp filled in UTC");
            }
            assertEquals("s2", data(got.get(3)).getString("parent_span_id"));
        }
    }

    @Test
    void historyThenLiveHasNoGapAndNoDuplicateWhileAnotherThreadIngests() throws Exception {
        String trace = newTraceId();
        int total = 200;
        api.append(trace, event("message", "writer", "\"attributes\":{\"n\":0}"));
        List<String> stored = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int n = 1; n < total; n += 2) {
                stored.addAll(api.append(trace, "[" + event("message", "writer", "\"attributes\":{\"n\":" + n + "}") + ","
                        + event("message", "writer", "\"attributes\":{\"n\":" + (n + 1) + "}") + "]"));
                pause(10); // paced, so the clients below join while it writes
            }
        });
        List<SseClient> clients = new ArrayList<>();
        try {
            // Clients join at different moments of the run: each sees part as history, part live.
            for (int i = 0; i < 5; i++) {
                clients.add(SseClient.open(stream(trace, "")));
                Thread.sleep(30);
            }
            assertTrue(!writer.isDone() && stored.size() < total,
                    "every client joined while events were being stored: the seam between history and live is crossed");
            writer.get();
            for (SseClient client : clients) {
                List<Message> got = client.take(total + 1, WAIT);
                List<Long> numbers = got.stream().map(m -> data(m).getJsonObject("attributes").getJsonNumber("n").longValue()).toList();
                List<Long> expected = new ArrayList<>();
                for (long n = 0; n <= total; n++) {
                    expected.add(n);
                }
                assertEquals(expected, numbers, "every event exactly once, in order");
                assertTrue(client.drain(Duration.ofMillis(300)).isEmpty(), "nothing after the last event");
            }
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void onTheWireEachEventIsAnIdAndOneDataLineTheFirstCarriesRetryAndHeartbeatCommentsComeWhileIdle() throws Exception {
        String trace = newTraceId();
        List<String> ids = api.append(trace, "[" + event("message", "a", "\"attributes\":{\"text\":\"line one\\nline two\"}") + ","
                + event("message", "a", "") + "]");
        HttpRequest request = HttpRequest.newBuilder(stream(trace, "")).header("Accept", "text/event-stream").build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        java.util.Iterator<String> lines = response.body().iterator();
        try {
            assertEquals(": trace " + trace, lines.next(), "a comment opens the stream at once");
            assertEquals("", lines.next());
            // The two events: blocks of field lines, each ended by an empty line.
            List<List<String>> blocks = new ArrayList<>();
            while (blocks.size() < 2) {
                List<String> block = new ArrayList<>();
                for (String line = lines.next(); !line.isEmpty(); line = lines.next()) {
                    block.add(line);
                }
                if (!block.isEmpty()) {
                    blocks.add(block);
                }
            }
            // retry: is tracestream.sse.retry (200 ms here) plus a random part up to
            // tracestream.sse.retry-spread (1 s by default), so a dropped crowd does not come back at once.
            String retry = blocks.get(0).get(0);
            assertTrue(retry.matches("retry: \\d+"), "the first event starts with retry: " + blocks.get(0));
            long retryMillis = Long.parseLong(retry.substring("retry: ".length()));
            assertTrue(retryMillis >= 200 && retryMillis <= 1200, "retry: within retry .. retry + retry-spread: " + retry);
            assertEquals("id: " + ids.get(0), blocks.get(0).get(1), "then its id");
            assertEquals(List.of("id: " + ids.get(1)), blocks.get(1).subList(0, 1));
            for (List<String> block : blocks) {
                List<String> data = block.stream().filter(l -> l.startsWith("data: ")).toList();
                assertEquals(1, data.size(), "one data: line per event: " + block);
                assertEquals(block.get(block.size() - 1), data.get(0), "data: comes last: " + block);
                assertTrue(block.stream().noneMatch(l -> l.startsWith("event:")), "unnamed, for EventSource.onmessage");
            }
            assertTrue(blocks.get(0).get(2).contains("line one\\nline two"), "a line break inside a value stays escaped");
            // Idle now: the heartbeat (tracestream.sse.heartbeat, 0.5 s here) is an empty comment.
            CompletableFuture<String> heartbeat = CompletableFuture.supplyAsync(() -> {
                for (String line = lines.next(); ; line = lines.next()) {
                    if (line.startsWith(":")) {
                        return line;
                    }
                }
            });
            assertEquals(":", heartbeat.get(5, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            response.body().close();
        }
    }

    @Test
    void lastEventIdHeaderResumesAfterThatEvent() {
        String trace = newTraceId();
        List<String> ids = api.append(trace, "[" + event("task_started", "a", "") + "," + event("task_completed", "a", "") + ","
                + event("task_started", "b", "") + "]");
        try (SseClient client = SseClient.open(stream(trace, ""), Map.of("Last-Event-ID", ids.get(0)))) {
            List<Message> got = client.take(2, WAIT);
            assertEquals(ids.subList(1, 3), got.stream().map(Message::id).toList());
            List<String> more = api.append(trace, event("task_completed", "b", ""));
            assertEquals(more.get(0), client.take(1, WAIT).get(0).id());
        }
    }

    @Test
    void lastEventIdQueryParameterResumesForClientsThatCannotSetHeaders() {
        String trace = newTraceId();
        List<String> ids = api.append(trace, "[" + event("message", "a", "") + "," + event("message", "b", "") + "]");
        try (SseClient client = SseClient.open(stream(trace, "last_event_id=" + ids.get(0)))) {
            assertEquals(ids.get(1), client.take(1, WAIT).get(0).id());
            assertTrue(client.drain(Duration.ofMillis(300)).isEmpty());
        }
    }

    @Test
    void anEventIdPastTheRangeOfAJavaLongIsAResumePointLikeAnyOtherNotAServerError() {
        // Redis's ids are unsigned 64-bit numbers: 19 digits can exceed a Java long.
        String trace = newTraceId();
        List<String> ids = api.append(trace, event("message", "a", ""));
        JsonObject none = Api.json(api.get("traces/" + trace + "/events?after=9999999999999999999-0"));
        assertEquals(0, none.getJsonArray("events").size(), "no stored event is after it");
        JsonObject all = Api.json(api.get("traces/" + trace + "/events?after=1-9999999999999999999"));
        assertEquals(ids, all.getJsonArray("events").stream().map(e -> e.asJsonObject().getString("id")).toList(),
                "every stored event is after millisecond 1, whatever its sequence");
        try (SseClient client = SseClient.open(stream(trace, ""), Map.of("Last-Event-ID", "1-9999999999999999999"))) {
            assertEquals(ids.get(0), client.take(1, WAIT).get(0).id());
        }
        try (SseClient client = SseClient.open(stream(trace, "last_event_id=9999999999999999999-0"))) {
            assertEquals(200, client.status());
            assertTrue(client.drain(Duration.ofMillis(300)).isEmpty(), "nothing is after it: an open stream, no replay");
        }
    }

    @Test
    void filtersByEventTypeAndAgent() {
        String trace = newTraceId();
        api.append(trace, "[" + event("task_started", "a", "") + "," + event("llm_call", "a", "\"model\":\"m\"") + ","
                + event("task_failed", "b", "\"error\":{\"type\":\"E\",\"message\":\"boom\"}") + ","
                + event("task_started", "b", "") + "]");
        try (SseClient byType = SseClient.open(stream(trace, "event_type=task_failed,llm_call"));
             SseClient byAgent = SseClient.open(stream(trace, "agent_id=b"))) {
            assertEquals(List.of("llm_call", "task_failed"),
                    byType.take(2, WAIT).stream().map(m -> data(m).getString("event_type")).toList());
            assertEquals(List.of("task_failed", "task_started"),
                    byAgent.take(2, WAIT).stream().map(m -> data(m).getString("event_type")).toList());
            assertTrue(byType.drain(Duration.ofMillis(200)).isEmpty());
        }
    }

    @Test
    void unknownEventTypesAreStoredAndStreamedAsTheyAre() {
        String trace = newTraceId();
        api.append(trace, event("guardrail_tripped", "safety", "\"attributes\":{\"rule\":\"pii\",\"score\":0.97,\"blocked\":true}"));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            JsonObject json = data(client.take(1, WAIT).get(0));
            assertEquals("guardrail_tripped", json.getString("event_type"));
            assertEquals("pii", json.getJsonObject("attributes").getString("rule"));
            assertEquals(0.97, json.getJsonObject("attributes").getJsonNumber("score").doubleValue());
            assertTrue(json.getJsonObject("attributes").getBoolean("blocked"));
        }
    }

    @Test
    void xTraceIdHeaderNamesTheTraceAndIsEchoed() {
        String trace = newTraceId();
        HttpResponse<String> response = api.post("events", event("agent_called", "a", ""), Map.of("X-Trace-ID", trace));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(trace, response.headers().firstValue("X-Trace-ID").orElse(null));
        assertEquals(trace, Api.json(response).getString("trace_id"));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            assertEquals(trace, data(client.take(1, WAIT).get(0)).getString("trace_id"));
        }
    }

    @Test
    void traceIdComesFromTheBodyWhenNoHeaderIsSent() {
        String trace = newTraceId();
        HttpResponse<String> response = api.post("events", event("agent_called", "a", "\"trace_id\":\"" + trace + "\""), Map.of());
        assertEquals(202, response.statusCode(), response.body());
        assertEquals(trace, response.headers().firstValue("X-Trace-ID").orElse(null));
    }

    @Test
    void traceIdIsMintedWhenNeitherHeaderNorBodyNamesOne() {
        HttpResponse<String> response = api.post("events", event("agent_called", "a", ""), Map.of());
        assertEquals(202, response.statusCode(), response.body());
        String minted = response.headers().firstValue("X-Trace-ID").orElseThrow();
        assertTrue(minted.matches("[0-9a-f]{32}"), minted);
        try (SseClient client = SseClient.open(stream(minted, ""))) {
            assertEquals(minted, data(client.take(1, WAIT).get(0)).getString("trace_id"));
        }
    }

    @Test
    void aRetryWithTheSameEventIdIsStoredOnceAndAnsweredWithTheOriginalId() {
        String trace = newTraceId();
        List<String> first = api.append(trace, event("llm_call", "a", "\"event_id\":\"call-1\",\"cost_usd\":0.01"));
        List<String> again = api.append(trace, "[" + event("llm_call", "a", "\"event_id\":\"call-1\",\"cost_usd\":0.01") + ","
                + event("llm_call", "a", "\"event_id\":\"call-2\"") + "]");
        assertEquals(first.get(0), again.get(0));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            assertEquals(List.of(first.get(0), again.get(1)), client.take(2, WAIT).stream().map(Message::id).toList());
            assertTrue(client.drain(Duration.ofMillis(300)).isEmpty());
        }
    }

    @Test
    void aBatchWithOneInvalidEventIsRejectedWholeAndStoresNothing() {
        String trace = newTraceId();
        HttpResponse<String> response = api.post("traces/" + trace + "/events",
                "[" + event("message", "a", "") + ",{\"event_type\":\"message\"}]");
        assertProblem(response, 400, "[1].agent_id");
        assertEquals(404, api.get("traces/" + trace + "/stream").statusCode(), "nothing of the batch was stored");
        api.append(trace, event("message", "marker", ""));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            assertEquals("marker", data(client.take(1, WAIT).get(0)).getString("agent_id"));
            assertTrue(client.drain(Duration.ofMillis(300)).isEmpty());
        }
    }

    @Test
    void badInputIsA400ProblemNamingTheField() {
        String trace = newTraceId();
        String path = "traces/" + trace + "/events";
        assertProblem(api.post(path, "{\"event_type\":\"x\""), 400, "$");
        assertProblem(api.post(path, "{\"agent_id\":\"a\"}"), 400, "event_type");
        assertProblem(api.post(path, "{\"event_type\":\"x\",\"agent_id\":7}"), 400, "agent_id");
        assertProblem(api.post(path, event("x", "a", "\"duration_ms\":-1")), 400, "duration_ms");
        assertProblem(api.post(path, event("x", "a", "\"cost_usd\":\"cheap\"")), 400, "cost_usd");
        assertProblem(api.post(path, event("x", "a", "\"timestamp\":\"yesterday\"")), 400, "timestamp");
        assertProblem(api.post(path, event("x", "a", "\"error\":\"boom\"")), 400, "error");
        assertProblem(api.post(path, event("x", "a", "\"attributes\":{\"nested\":{\"a\":1}}")), 400, "attributes.nested");
        assertProblem(api.post(path, event("x", "a", "\"trace_id\":\"other\"")), 400, "trace_id");
        assertProblem(api.post(path, event("x", "a", "\"unexpected\":1")), 400, "unexpected");
        assertProblem(api.post(path, "[]"), 400, "$");
        assertProblem(api.post(path, "\"just a string\""), 400, "$");
        assertProblem(api.post("traces/bad%20id/events", event("x", "a", "")), 400, "trace_id");
        assertProblem(api.post("traces/" + "x".repeat(129) + "/events", event("x", "a", "")), 400, "trace_id");
        assertProblem(api.post("events", event("x", "a", ""), Map.of("X-Trace-ID", "no/slashes")), 400, "X-Trace-ID");
        assertProblem(api.post("events", "[" + event("x", "a", "\"trace_id\":\"one\"") + "," + event("x", "a", "\"trace_id\":\"two\"") + "]"),
                400, "[1].trace_id");
    }

    @Test
    void contentAfterTheDocumentOrAMemberNamedTwiceIsA400NamingWhereAndStoresNothing() {
        String trace = newTraceId();
        String path = "traces/" + trace + "/events";
        String one = event("message", "a", "");
        assertProblem(api.post(path, one + " trailing"), 400, "$");
        assertProblem(api.post(path, one + one), 400, "$");
        assertProblem(api.post(path, "[" + one + "]\n[" + one + "]"), 400, "$");
        assertProblem(api.post(path, "[" + one + "," + event("message", "a", "\"agent_id\":\"b\"") + "]"), 400, "[1].agent_id");
        assertProblem(api.post(path, event("message", "a", "\"error\":{\"type\":\"T\",\"type\":\"U\"}")), 400, "error.type");
        assertProblem(api.post(path, event("message", "a", "\"attributes\":{\"k\":1,\"k\":2}")), 400, "attributes.k");
        assertEquals(404, api.get("traces/" + trace + "/stream").statusCode(), "nothing of them was stored");
    }

    @Test
    void anOversizedBatchOrBodyIsA400AndStoresNothing() {
        String trace = newTraceId();
        String one = event("message", "a", "");
        String tooMany = "[" + String.join(",", Collections.nCopies(51, one)) + "]"; // test max-batch is 50
        assertProblem(api.post("traces/" + trace + "/events", tooMany), 400, "$");
        String big = event("message", "a", "\"attributes\":{\"text\":\"" + "x".repeat(60_000) + "\",\"more\":\"" + "y".repeat(10_000) + "\"}");
        assertProblem(api.post("traces/" + trace + "/events", big), 400, "$"); // test max-body-bytes is 65536
        assertEquals(404, api.get("traces/" + trace + "/stream").statusCode());
    }

    @Test
    void streamOfAnUnknownTraceIs404AndOfAnInvalidIdIs400() {
        HttpResponse<String> missing = api.get("traces/" + newTraceId() + "/stream");
        assertProblem(missing, 404, null);
        assertProblem(api.get("traces/" + "bad%24id" + "/stream"), 400, "trace_id");
        String trace = newTraceId();
        api.append(trace, event("message", "a", ""));
        assertProblem(api.get(stream(trace, "last_event_id=yesterday"), Map.of()), 400, "last_event_id");
        assertProblem(api.get(stream(trace, ""), Map.of("Last-Event-ID", "nope")), 400, "Last-Event-ID");
    }

    @Test
    void aFinishedTraceEndsWithANamedEndEventAndAReconnectGets204() throws InterruptedException {
        String trace = newTraceId();
        api.append(trace, event("workflow_started", "orchestrator", ""));
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            client.take(1, WAIT);
            List<String> ids = api.append(trace, "[" + event("task_completed", "worker", "") + ","
                    + event("workflow_completed", "orchestrator", "") + "]");
            List<Message> got = client.take(3, WAIT);
            assertEquals(ids, List.of(got.get(0).id(), got.get(1).id()));
            assertEquals("end", got.get(2).event());
            assertEquals(ids.get(1), data(got.get(2)).getString("last_event_id"));
            awaitEnded(client);
            HttpResponse<String> reconnect = api.get(stream(trace, ""), Map.of("Last-Event-ID", ids.get(1)));
            assertEquals(204, reconnect.statusCode(), "nothing left to send: EventSource stops on 204");
            assertEquals("", reconnect.body());
        }
        try (SseClient late = SseClient.open(stream(trace, ""))) {
            assertEquals(200, late.status());
            List<Message> replay = late.take(4, WAIT);
            assertEquals("end", replay.get(3).event(), "a client joining after the end gets the history, then end");
        }
    }

    /**
     * Clients joining a finished trace get its whole stream at once: the history, the end, and the
     * close, sometimes before the request's thread has left Jersey. A stream ended that early
     * once reached its client as nothing at all (RedisBackendIT, 0 of 4 messages in 10 s; Jersey
     * logged "Response is closed"): every one of these clients must get all of it.
     */
    @Test
    void everyLateClientOfAFinishedTraceGetsTheHistoryThenTheEnd() throws Exception {
        String trace = newTraceId();
        List<String> ids = api.append(trace, "[" + event("workflow_started", "orchestrator", "") + ","
                + event("workflow_completed", "orchestrator", "") + "]");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(stream(trace, "")).header("Accept", "text/event-stream")
                .timeout(WAIT).build();
        for (int wave = 0; wave < LATE_CLIENT_WAVES; wave++) {
            List<CompletableFuture<HttpResponse<String>>> late = new ArrayList<>();
            for (int i = 0; i < LATE_CLIENTS_PER_WAVE; i++) {
                late.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : late) {
                // The stream ends after the end event: the whole body is the client's stream.
                HttpResponse<String> r = answer.get(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                String body = r.body();
                assertTrue(body.contains("id: " + ids.get(0)) && body.contains("id: " + ids.get(1))
                        && body.contains("event: end"), "wave " + wave + ": the history, then the end; got: " + body);
            }
        }
    }

    /**
     * OpenTelemetry SDKs export spans concurrently, so a run's last children are stored just after
     * the root span that ends its workflow (a defect found from outside: the stream ended at the
     * root, and a client opening the finished trace never got its end). The stream waits for the
     * trace to be quiet (tracestream.trace.end-grace) and ends after its last event.
     */
    @Test
    void eventsStoredAfterTheWorkflowEndedComeBeforeTheEndAndAFinishedTraceStillEnds() throws InterruptedException {
        String trace = newTraceId();
        api.append(trace, event("workflow_started", "orchestrator", ""));
        String end;
        String lateChild;
        try (SseClient client = SseClient.open(stream(trace, ""))) {
            client.take(1, WAIT);
            // One request: however slow the machine, the child is stored within the end's grace.
            List<String> ids = api.append(trace, "[" + event("workflow_completed", "orchestrator", "") + ","
                    + event("tool_call", "worker", "") + "]");
            end = ids.get(0);
            lateChild = ids.get(1);
            List<Message> got = client.takeUntil("end", WAIT);
            assertEquals(List.of(end, lateChild), got.stream().filter(m -> m.event() == null).map(Message::id).toList());
            assertEquals(lateChild, data(got.get(got.size() - 1)).getString("last_event_id"));
            awaitEnded(client);
        }
        try (SseClient late = SseClient.open(stream(trace, ""))) {
            List<Message> replay = late.takeUntil("end", WAIT);
            assertEquals(4, replay.size(), "the history, then the end, though the last event is not the workflow's end");
        }
        try (SseClient resumed = SseClient.open(stream(trace, ""), Map.of("Last-Event-ID", end))) {
            List<Message> rest = resumed.takeUntil("end", WAIT);
            assertEquals(List.of(lateChild), rest.stream().filter(m -> m.event() == null).map(Message::id).toList());
        }
        assertEquals(204, api.get(stream(trace, ""), Map.of("Last-Event-ID", lateChild)).statusCode());
    }

    @Test
    void resumingFromTrimmedHistorySaysWhereTheReplayReallyStarts() {
        String trace = newTraceId();
        String firstId = null;
        String batch = "[" + String.join(",", Collections.nCopies(50, event("message", "a", ""))) + "]";
        for (int i = 0; i < 24; i++) { // 1,200 events; the test cap is 1,000 per trace
            List<String> ids = api.append(trace, batch);
            firstId = firstId == null ? ids.get(0) : firstId;
        }
        try (SseClient client = SseClient.open(stream(trace, ""), Map.of("Last-Event-ID", firstId))) {
            String replayFrom = client.response().headers().firstValue("X-Replay-From").orElse(null);
            assertNotNull(replayFrom, "the response names where the replay starts");
            List<Message> got = client.take(2, WAIT);
            assertEquals("history-truncated", got.get(0).event());
            assertEquals(firstId, data(got.get(0)).getString("requested_after"));
            assertEquals(replayFrom, data(got.get(0)).getString("replay_from"));
            assertEquals(replayFrom, got.get(1).id(), "the replay starts at the oldest retained event");
        }
    }

    /** The realistic fixture workflow (5+ agents, a failure and a retry), moved to a trace of the test's own. */
    static String fixture(String traceId) {
        try (InputStream in = TraceStreamContract.class.getResourceAsStream("/io/tracestream/demo/code-analysis-workflow.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"code-analysis-demo\"", "\"" + traceId + "\"");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the domain folds from the events the API says are stored: the summary any instance must give. */
    JsonObject expectedSummary(String traceId) {
        // As the server folds it: with the price table bundled in the WAR, no override.
        io.tracestream.domain.summary.TraceSummarizer summarizer = new io.tracestream.domain.summary.TraceSummarizer(
                io.tracestream.domain.summary.PriceTable.withBundledPrices(""),
                io.tracestream.domain.summary.TraceSummarizer.DEFAULT_STALL_AFTER);
        Api.json(api.get("traces/" + traceId + "/events?limit=1000")).getJsonArray("events").forEach(e ->
                summarizer.apply(io.tracestream.domain.TraceEventJson.readStored(e.toString())));
        String json = io.tracestream.domain.summary.TraceSummaryJson.write(summarizer.snapshot(java.time.Instant.now()));
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void theSummaryOfARealisticWorkflowIsTheFoldOfItsStoredEvents() {
        String trace = newTraceId();
        api.append(trace, fixture(trace));
        HttpResponse<String> response = api.get("traces/" + trace);
        assertEquals(200, response.statusCode(), response.body());
        JsonObject summary = Api.json(response);
        assertEquals(expectedSummary(trace), summary);
        assertEquals("completed", summary.getString("status"));
        assertTrue(summary.getJsonArray("agents").size() >= 5, "5+ agents");
        assertTrue(summary.getJsonObject("graph").getInt("depth") >= 3, "a 3+ agent chain");
        assertTrue(summary.getJsonObject("critical_path").getJsonArray("steps").size() >= 3);
        assertTrue(summary.getJsonObject("failures").get("first_failure") instanceof JsonObject, "the failed worker is reported");
    }

    @Test
    void theDiagramIsMermaidSequenceDiagramText() {
        String trace = newTraceId();
        api.append(trace, fixture(trace));
        HttpResponse<String> response = api.get("traces/" + trace + "/diagram");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/vnd.mermaid"));
        assertTrue(response.body().startsWith("sequenceDiagram"), response.body());
        assertProblem(api.get("traces/" + newTraceId() + "/diagram"), 404, null);
        assertProblem(api.get("traces/bad%24id/diagram"), 400, "trace_id");
    }

    @Test
    void storedEventsArePagedByAfterAndLimit() {
        String trace = newTraceId();
        List<String> ids = api.append(trace, "[" + event("message", "a", "") + "," + event("message", "b", "") + ","
                + event("message", "c", "") + "]");
        JsonObject first = Api.json(api.get("traces/" + trace + "/events?limit=2"));
        assertEquals(List.of(ids.get(0), ids.get(1)), first.getJsonArray("events").stream()
                .map(e -> e.asJsonObject().getString("id")).toList());
        assertEquals(ids.get(1), first.getString("next_after"));
        JsonObject second = Api.json(api.get("traces/" + trace + "/events?limit=2&after=" + ids.get(1)));
        assertEquals(ids.get(2), second.getJsonArray("events").getJsonObject(0).getString("id"));
        assertTrue(!second.containsKey("next_after"), "the last page has no next_after");
        assertProblem(api.get("traces/" + trace + "/events?limit=0"), 400, "limit");
        assertProblem(api.get("traces/" + trace + "/events?after=yesterday"), 400, "after");
        assertProblem(api.get("traces/" + newTraceId() + "/events"), 404, null);
        assertProblem(api.get("traces/bad%24id/events"), 400, "trace_id");
    }

    @Test
    void theTraceListIsNewestFirstFilteredAndPagedByCursor() throws InterruptedException {
        String since = java.time.Instant.now().minusSeconds(1).toString();
        String agent = "lister-" + UUID.randomUUID();
        String done = newTraceId();
        String failed = newTraceId();
        String other = newTraceId();
        api.append(done, "[" + event("workflow_started", agent, "") + "," + event("workflow_completed", agent, "") + "]");
        Thread.sleep(5);
        api.append(other, event("workflow_started", "someone-else", ""));
        Thread.sleep(5);
        api.append(failed, "[" + event("workflow_started", agent, "") + ","
                + event("workflow_failed", agent, "\"error\":{\"type\":\"E\",\"message\":\"boom\"}") + "]");

        JsonObject mine = Api.json(api.get("traces?agent_id=" + agent + "&since=" + since));
        assertEquals(List.of(failed, done), mine.getJsonArray("traces").stream()
                .map(t -> t.asJsonObject().getString("trace_id")).toList(), "newest activity first");
        JsonObject item = mine.getJsonArray("traces").getJsonObject(0);
        assertEquals("failed", item.getString("status"));
        assertEquals(1, item.getInt("agent_count"));
        JsonObject onlyFailed = Api.json(api.get("traces?status=failed&agent_id=" + agent));
        assertEquals(1, onlyFailed.getJsonArray("traces").size());

        JsonObject page1 = Api.json(api.get("traces?limit=1&agent_id=" + agent + "&since=" + since));
        assertEquals(failed, page1.getJsonArray("traces").getJsonObject(0).getString("trace_id"));
        JsonObject page2 = Api.json(api.get("traces?limit=1&agent_id=" + agent + "&since=" + since
                + "&cursor=" + page1.getString("next_cursor")));
        assertEquals(done, page2.getJsonArray("traces").getJsonObject(0).getString("trace_id"));

        assertProblem(api.get("traces?status=sleeping"), 400, "status");
        assertProblem(api.get("traces?since=last-week"), 400, "since");
        assertProblem(api.get("traces?cursor=%21%21%21"), 400, "cursor");
        assertProblem(api.get("traces?limit=many"), 400, "limit");
        assertProblem(api.get("traces/" + newTraceId()), 404, null);
        assertProblem(api.get("traces/bad%24id"), 400, "trace_id");
    }

    @Test
    void aStreamAskedForSummariesSendsTheUpdatedSummaryAfterEachBatch() {
        String trace = newTraceId();
        api.append(trace, event("workflow_started", "orchestrator", ""));
        try (SseClient client = SseClient.open(stream(trace, "summary=true"))) {
            List<Message> first = client.take(2, WAIT);
            assertEquals(null, first.get(0).event());
            assertEquals("summary", first.get(1).event());
            assertEquals(1, data(first.get(1)).getInt("event_count"));
            api.append(trace, event("agent_called", "planner", "\"span_id\":\"p\""));
            List<Message> next = client.take(2, WAIT);
            assertEquals("agent_called", data(next.get(0)).getString("event_type"));
            assertEquals("summary", next.get(1).event());
            assertEquals(2, data(next.get(1)).getInt("event_count"));
            assertEquals(next.get(0).id(), data(next.get(1)).getString("last_event_id"));
        }
    }

    static void awaitEnded(SseClient client) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!client.ended() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(client.ended(), "the server closed the stream after end");
    }

    @Test
    void thousandStreamsOpenedAndDroppedReleaseEverything() throws Exception {
        String trace = newTraceId();
        api.append(trace, event("message", "a", ""));
        // Streams of earlier tests close within a heartbeat or two; start from none.
        awaitMetric("tracestream_sse_streams_open", 0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(stream(trace, "")).header("Accept", "text/event-stream").build();
        int count = 1000;
        // Opened in waves: the point is what the server holds and releases, not a connect storm.
        int wave = 100;
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        for (int start = 0; start < count; start += wave) {
            List<CompletableFuture<HttpResponse<InputStream>>> opening = new ArrayList<>();
            for (int i = 0; i < wave; i++) {
                opening.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()));
            }
            for (CompletableFuture<HttpResponse<InputStream>> f : opening) {
                // Bounded: an open the server never answers (a lost asynchronous dispatch at the
                // stream-open gate did that once) fails here instead of hanging the build.
                HttpResponse<InputStream> r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                open.add(r);
            }
        }
        awaitMetric("tracestream_sse_streams_open", count);
        for (HttpResponse<InputStream> r : open) {
            r.body().close();
        }
        // Departed clients are noticed by the heartbeat writes (every 0.5 s in tests).
        awaitMetric("tracestream_sse_streams_open", 0);
    }

    void awaitMetric(String name, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double value = api.metric(name);
        while (value != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            value = api.metric(name);
        }
        assertEquals(expected, value, name);
    }

    static void assertProblem(HttpResponse<String> response, int status, String field) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject problem = Api.json(response);
        assertEquals(status, problem.getInt("status"));
        assertTrue(problem.getString("type").startsWith("urn:tracestream:problem:"), problem.toString());
        assertTrue(problem.containsKey("title") && problem.containsKey("detail"), problem.toString());
        if (field != null) {
            assertTrue(problem.getJsonArray("errors").stream()
                            .anyMatch(e -> field.equals(e.asJsonObject().getString("field"))),
                    "a problem naming " + field + ": " + problem);
        }
    }
}
