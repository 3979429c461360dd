package io.tracestream.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.guards.AlertKind;
import io.tracestream.domain.guards.AlertSeverity;
import io.tracestream.domain.guards.RunAlert;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alerts as Alertmanager receives them (labels, annotations, startsAt and endsAt, with a fixed
 * clock), what is owed when (at once, on the repost schedule, the resolution until taken), the bound
 * on memory, and one post over HTTP to a stand-in for Alertmanager.
 */
class AlertmanagerPosterTest {

    private static final Instant NOW = Instant.parse("2026-01-20T10:00:00Z");
    private static final Instant RAISED_AT = Instant.parse("2026-01-20T09:59:30.123456Z");
    private static final Duration REPOST = Duration.ofMinutes(1);
    private static final URI PUBLIC_URL = URI.create("https://traces.example/");
    private static final String RUNBOOKS = "https://github.com/tracestream/trace-stream/blob/main/runbooks/";
    private static final AlertmanagerAlert FORMAT = new AlertmanagerAlert(PUBLIC_URL, RUNBOOKS);

    private static RunAlert loop(String key) {
        JsonObject evidence = JsonFactories.object().add("tool", "search").add("count", 4)
                .add("arguments", JsonFactories.object().add("q", "weather")).build();
        return new RunAlert(AlertKind.LOOP, AlertSeverity.CRITICAL, "search called 4 times with the same arguments",
                evidence, List.of("1-0", "2-0"), key, RAISED_AT, false, null);
    }

    private static RunAlert resolvedCopy(RunAlert a, Instant at) {
        return new RunAlert(a.kind(), a.severity(), a.message(), a.evidence(), a.eventIds(), a.key(), a.at(), true, at);
    }

    @Test
    void labelsIdentifyTheFindingAndNothingElse() {
        JsonObject json = FORMAT.toJson("t1", "planner", loop("loop:tool:search:3f2a"), RAISED_AT, NOW.plus(REPOST));
        assertEquals(Map.of("alertname", "AgentRunLoop", "kind", "loop", "severity", "critical", "trace_id", "t1",
                        "agent", "planner", "finding", "loop:tool:search:3f2a"),
                strings(json.getJsonObject("labels")));
        assertEquals("https://traces.example/ui/traces/t1", json.getString("generatorURL"));
    }

    @Test
    void anUnknownAgentLeavesItsLabelOut() {
        assertFalse(FORMAT.toJson("t1", null, loop("k"), NOW, NOW).getJsonObject("labels").containsKey("agent"));
        assertFalse(FORMAT.toJson("t1", "", loop("k"), NOW, NOW).getJsonObject("labels").containsKey("agent"));
    }

    @Test
    void annotationsCarryTheMessageTheEvidenceButWhatTheAgentSaidAndTheLinks() {
        JsonObject annotations = FORMAT.toJson("t1", "planner", loop("k"), RAISED_AT, NOW).getJsonObject("annotations");
        assertEquals(Map.of(
                        "summary", "search called 4 times with the same arguments",
                        "description", "search called 4 times with the same arguments "
                                + "{\"tool\":\"search\",\"count\":4}",
                        "runbook_url", "https://github.com/tracestream/trace-stream/blob/main/runbooks/agent-run-loop.md",
                        "trace_url", "https://traces.example/ui/traces/t1"),
                strings(annotations));
    }

    @Test
    void aLongDescriptionIsCut() {
        String big = "x".repeat(5 * AlertmanagerAlert.MAX_DESCRIPTION_CHARS);
        String description = AlertmanagerAlert.description("m", JsonFactories.object().add("tools", big).build());
        assertEquals(AlertmanagerAlert.MAX_DESCRIPTION_CHARS, description.length());
        assertTrue(description.startsWith("m {\"tools\":\"xxx"), description);
    }

    @Test
    void everyKindHasItsAlertnameAndRunbook() {
        Map<AlertKind, String> names = Map.of(AlertKind.LOOP, "AgentRunLoop", AlertKind.BUDGET, "AgentRunBudget",
                AlertKind.SILENT, "AgentRunSilent", AlertKind.ERROR_BURST, "AgentRunErrorBurst",
                AlertKind.TOO_LONG, "AgentRunTooLong");
        for (AlertKind kind : AlertKind.values()) {
            assertEquals(names.get(kind), AlertmanagerAlert.alertName(kind));
        }
        assertEquals("agent-run-error-burst.md", AlertmanagerAlert.runbookFile(AlertKind.ERROR_BURST));
        assertEquals("agent-run-too-long.md", AlertmanagerAlert.runbookFile(AlertKind.TOO_LONG));
        // that the files exist with their sections: RunbooksTest
    }

    @Test
    void aRaisedFindingIsOwedAtOnceStartingWhenRaisedAndFiringFourRepostsAhead() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        outbox.raised("t1", "planner", loop("k1"), NOW);
        AlertmanagerOutbox.Batch batch = outbox.owed(NOW, 100);
        assertEquals(1, batch.size());
        JsonObject alert = batch.alerts().getJsonObject(0);
        assertEquals("2026-01-20T09:59:30.123Z", alert.getString("startsAt"), "alert.at, to the millisecond");
        assertEquals("2026-01-20T10:04:00Z", alert.getString("endsAt"), "now + 4 x repostEvery");
    }

    @Test
    void aStartInTheFutureOfThisClockIsClampedToNow() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert fromAFastClock = new RunAlert(AlertKind.SILENT, AlertSeverity.WARNING, "quiet", null, List.of(), "silent:9-0",
                NOW.plusSeconds(30), false, null);
        outbox.raised("t1", null, fromAFastClock, NOW);
        assertEquals("2026-01-20T10:00:00Z", outbox.owed(NOW, 100).alerts().getJsonObject(0).getString("startsAt"));
    }

    @Test
    void repostedByItsCallerAnOpenFindingIsOwedAgainOnlyWhenTheCallerSaysItLastsAndNeverAfterItsResolution() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10, false);
        outbox.raised("t1", "planner", loop("k1"), NOW);
        outbox.taken(outbox.owed(NOW, 100));
        outbox.tick(NOW.plus(REPOST.multipliedBy(3)));
        assertFalse(outbox.anyOwed(), "no re-post by the outbox's own clock");
        assertNull(outbox.nextRepostAt());

        Instant later = NOW.plus(REPOST.multipliedBy(3));
        outbox.repost("t1", "planner", loop("k1"), later);
        JsonObject reposted = outbox.owed(later, 100).alerts().getJsonObject(0);
        assertEquals("2026-01-20T09:59:30.123Z", reposted.getString("startsAt"), "the start kept");
        assertEquals(later.plus(REPOST.multipliedBy(4)).toString(), reposted.getString("endsAt"), "firing four reposts ahead of now");
        outbox.taken(outbox.owed(later, 100));

        RunAlert open = loop("k1");
        RunAlert resolved = new RunAlert(open.kind(), open.severity(), open.message(), open.evidence(), open.eventIds(),
                open.key(), open.at(), true, later);
        outbox.resolved("t1", "planner", resolved, later);
        outbox.repost("t1", "planner", open, later);
        AlertmanagerOutbox.Batch owed = outbox.owed(later, 100);
        assertEquals(1, owed.size());
        assertEquals(later.toString(), owed.alerts().getJsonObject(0).getString("endsAt"),
                "the resolution, not a firing post: a late repost does not undo it");
    }

    @Test
    void anOpenFindingIsOwedAgainEveryRepostInterval() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        outbox.raised("t1", "planner", loop("k1"), NOW);
        outbox.taken(outbox.owed(NOW, 100));
        assertFalse(outbox.anyOwed());
        assertEquals(NOW.plus(REPOST), outbox.nextRepostAt());

        Instant later = NOW.plusSeconds(30);
        outbox.tick(later);
        assertTrue(outbox.owed(later, 100).isEmpty(), "not before the interval");

        Instant due = NOW.plus(REPOST);
        outbox.tick(due);
        AlertmanagerOutbox.Batch repost = outbox.owed(due, 100);
        assertEquals(1, repost.size());
        assertEquals("2026-01-20T09:59:30.123Z", repost.alerts().getJsonObject(0).getString("startsAt"), "the start is kept");
        assertEquals("2026-01-20T10:05:00Z", repost.alerts().getJsonObject(0).getString("endsAt"));
        assertEquals(due.plus(REPOST), outbox.nextRepostAt());
    }

    @Test
    void aResolutionIsPostedWithEndsAtItsResolutionTimeUntilTakenThenForgotten() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert raised = loop("k1");
        outbox.raised("t1", "planner", raised, NOW);
        outbox.taken(outbox.owed(NOW, 100));
        Instant resolvedAt = NOW.plusSeconds(10);
        outbox.resolved("t1", "planner", resolvedCopy(raised, resolvedAt), NOW.plusSeconds(11));

        AlertmanagerOutbox.Batch first = outbox.owed(NOW.plusSeconds(11), 100);
        JsonObject alert = first.alerts().getJsonObject(0);
        assertEquals("2026-01-20T10:00:10Z", alert.getString("endsAt"));
        assertEquals("2026-01-20T09:59:30.123Z", alert.getString("startsAt"));
        // Not taken (Alertmanager down): still owed on the next attempt.
        assertEquals(1, outbox.owed(NOW.plusSeconds(20), 100).size());
        outbox.taken(outbox.owed(NOW.plusSeconds(20), 100));
        assertEquals(0, outbox.size());
        assertEquals(null, outbox.nextRepostAt(), "nothing open, nothing to re-post");
    }

    @Test
    void aResolutionOfAFindingNeverHeardOfIsPostedToo() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        outbox.resolved("t1", null, resolvedCopy(loop("k1"), NOW.minusSeconds(5)), NOW);
        JsonObject alert = outbox.owed(NOW, 100).alerts().getJsonObject(0);
        assertEquals("2026-01-20T09:59:55Z", alert.getString("endsAt"));
    }

    @Test
    void aResolutionIsNeverBeforeTheStartNorAfterNow() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert raised = loop("k1");
        outbox.raised("t1", null, raised, NOW);
        outbox.resolved("t1", null, resolvedCopy(raised, NOW.plusSeconds(60)), NOW);
        assertEquals("2026-01-20T10:00:00Z", outbox.owed(NOW, 100).alerts().getJsonObject(0).getString("endsAt"), "not in the future");

        AlertmanagerOutbox other = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        other.raised("t1", null, raised, NOW);
        other.resolved("t1", null, resolvedCopy(raised, RAISED_AT.minusSeconds(60)), NOW);
        JsonObject alert = other.owed(NOW, 100).alerts().getJsonObject(0);
        assertEquals(alert.getString("startsAt"), alert.getString("endsAt"), "Alertmanager refuses endsAt before startsAt");
    }

    @Test
    void aResolutionNotTakenIsGivenUpWhenEveryFiringPostOfItHasExpired() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert raised = loop("k1");
        outbox.raised("t1", null, raised, NOW);
        outbox.resolved("t1", null, resolvedCopy(raised, NOW), NOW);
        Instant validity = NOW.plus(REPOST.multipliedBy(AlertmanagerOutbox.REPOSTS_PER_VALIDITY));
        outbox.tick(validity.minusMillis(1));
        assertEquals(1, outbox.size());
        outbox.tick(validity);
        assertEquals(0, outbox.size());
    }

    @Test
    void aChangeWhileAPostIsUnderWayStaysOwed() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert raised = loop("k1");
        outbox.raised("t1", null, raised, NOW);
        AlertmanagerOutbox.Batch inFlight = outbox.owed(NOW, 100);
        outbox.resolved("t1", null, resolvedCopy(raised, NOW), NOW);
        outbox.taken(inFlight);
        AlertmanagerOutbox.Batch next = outbox.owed(NOW, 100);
        assertEquals(1, next.size());
        assertEquals("2026-01-20T10:00:00Z", next.alerts().getJsonObject(0).getString("endsAt"));
    }

    @Test
    void raisedAgainAfterItsResolutionChangesNothing() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        RunAlert raised = loop("k1");
        outbox.resolved("t1", null, resolvedCopy(raised, NOW), NOW);
        outbox.raised("t1", null, raised, NOW);
        assertEquals("2026-01-20T10:00:00Z", outbox.owed(NOW, 100).alerts().getJsonObject(0).getString("endsAt"));
    }

    @Test
    void twoFindingsOfOneKindInOneTraceAreTwoAlertsAndOnePostCarriesBoth() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 10);
        outbox.raised("t1", null, loop("loop:tool:search:aaa"), NOW);
        outbox.raised("t1", null, loop("loop:tool:search:bbb"), NOW);
        outbox.raised("t2", null, loop("loop:tool:search:aaa"), NOW);
        JsonArray alerts = outbox.owed(NOW, 100).alerts();
        assertEquals(3, alerts.size());
        assertEquals(3, alerts.stream().map(a -> a.asJsonObject().getJsonObject("labels")).distinct().count());
        assertEquals(2, outbox.owed(NOW, 2).size(), "at most max per post");
    }

    @Test
    void beyondCapacityTheOldestResolutionGoesFirstThenTheOldestOpenFinding() {
        AlertmanagerOutbox outbox = new AlertmanagerOutbox(FORMAT, REPOST, 3);
        RunAlert first = loop("k1");
        outbox.raised("t1", null, first, NOW);
        outbox.raised("t1", null, loop("k2"), NOW);
        outbox.resolved("t1", null, resolvedCopy(loop("k3"), NOW), NOW);
        outbox.raised("t1", null, loop("k4"), NOW);
        assertEquals(List.of("t1\nk1", "t1\nk2", "t1\nk4"), outbox.ids(), "the resolution went first");
        assertEquals(0, outbox.takeDroppedOpen());
        outbox.raised("t1", null, loop("k5"), NOW);
        assertEquals(List.of("t1\nk2", "t1\nk4", "t1\nk5"), outbox.ids(), "then the oldest open one");
        assertEquals(1, outbox.takeDroppedOpen());
    }

    @Test
    void backoffDoublesUpToTheShorterOfItsBoundAndTheRepostInterval() throws Exception {
        try (AlertmanagerPoster poster = new AlertmanagerPoster(URI.create("http://127.0.0.1:9"), PUBLIC_URL, RUNBOOKS,
                REPOST, Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC))) {
            List<Duration> pauses = new ArrayList<>();
            for (int failures = 1; failures <= 7; failures++) {
                pauses.add(poster.backoff(failures));
            }
            assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), pauses.stream().map(Duration::toSeconds).toList());
        }
        try (AlertmanagerPoster fast = new AlertmanagerPoster(URI.create("http://127.0.0.1:9"), PUBLIC_URL, RUNBOOKS,
                Duration.ofSeconds(5), Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertEquals(Duration.ofSeconds(5), fast.backoff(10));
        }
    }

    /** The poster's worker posts the owed alerts as one JSON array to {@code <url>/api/v2/alerts}. */
    @Test
    void postsTheAlertsToTheV2Api() throws Exception {
        LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/prefix/api/v2/alerts", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prefix/");
        try (AlertmanagerPoster poster = new AlertmanagerPoster(url, PUBLIC_URL, RUNBOOKS, REPOST, Duration.ofSeconds(5),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            poster.raised("t1", "planner", loop("k1"));
            String received = bodies.poll(30, TimeUnit.SECONDS);
            assertTrue(received != null, "nothing posted");
            assertTrue(received.startsWith("POST application/json ["), received);
            JsonArray alerts = parseArray(received.substring(received.indexOf('[')));
            assertEquals("k1", alerts.getJsonObject(0).getJsonObject("labels").getString("finding"));
        } finally {
            server.stop(0);
        }
    }

    private static JsonArray parseArray(String text) {
        try (JsonReader r = JsonFactories.reader(new StringReader(text))) {
            return r.readArray();
        }
    }

    private static Map<String, String> strings(JsonObject o) {
        Map<String, String> m = new java.util.TreeMap<>();
        o.forEach((k, v) -> m.put(k, o.getString(k)));
        return m;
    }
}
