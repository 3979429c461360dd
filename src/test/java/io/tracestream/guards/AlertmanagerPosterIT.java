package io.tracestream.guards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.guards.AlertKind;
import io.tracestream.domain.guards.AlertSeverity;
import io.tracestream.domain.guards.RunAlert;
import io.tracestream.testkit.AlertmanagerServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The poster against a real Alertmanager (Debian's {@code prometheus-alertmanager}), no WAR needed:
 * a raised finding shows in {@code GET /api/v2/alerts} with its labels and link; its resolution
 * takes it out (Alertmanager lists only alerts whose endsAt is still ahead, and counts the resolution
 * received); with Alertmanager down or silent the callers do not wait, and once it is back the
 * alerts arrive; two instances posting one finding make one alert.
 */
class AlertmanagerPosterIT {

    /** Short, so that a re-post and the longest backoff (bounded by it) come within seconds. */
    private static final Duration REPOST = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Generous: the machine is shared and slow at times; every wait polls and ends as soon as it can. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 100;
    /**
     * What "returns at once" must at least mean when the machine is busy; the measured time is
     * printed and is expected well under 100 ms: the call only notes the finding under a lock.
     */
    private static final Duration CALLER_BOUND = Duration.ofSeconds(1);
    private static final URI PUBLIC_URL = URI.create("http://trace-stream.test:8080");
    private static final String RUNBOOKS = "https://github.com/tracestream/trace-stream/blob/main/runbooks";
    private static final Pattern RESOLVED_RECEIVED =
            Pattern.compile("(?m)^alertmanager_alerts_received_total\\{status=\"resolved\",version=\"v2\"} (\\S+)$");

    private static AlertmanagerServer alertmanager;
    private final List<AlertmanagerPoster> posters = new ArrayList<>();

    @BeforeAll
    static void start() {
        alertmanager = AlertmanagerServer.startNew();
        System.out.println("Alertmanager: " + AlertmanagerServer.version() + " on " + alertmanager.url());
    }

    @AfterAll
    static void stop() {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @AfterEach
    void closePosters() {
        posters.forEach(AlertmanagerPoster::close);
    }

    private AlertmanagerPoster poster(URI alertmanagerUrl) {
        AlertmanagerPoster p = new AlertmanagerPoster(alertmanagerUrl, PUBLIC_URL, RUNBOOKS, REPOST, TIMEOUT, Clock.systemUTC());
        posters.add(p);
        return p;
    }

    private static String newTraceId() {
        return "it-" + UUID.randomUUID();
    }

    private static RunAlert loop(String key) {
        return new RunAlert(AlertKind.LOOP, AlertSeverity.CRITICAL, "search called 4 times with the same arguments",
                JsonFactories.object().add("tool", "search").add("count", 4).build(), List.of("1-0"), key,
                Instant.now().minusSeconds(5), false, null);
    }

    private static RunAlert resolvedCopy(RunAlert a) {
        return new RunAlert(a.kind(), a.severity(), a.message(), a.evidence(), a.eventIds(), a.key(), a.at(), true, Instant.now());
    }

    private static JsonArray alertsOf(AlertmanagerServer am, String traceId) {
        return am.alerts("filter=" + URLEncoder.encode("trace_id=\"" + traceId + "\"", StandardCharsets.UTF_8));
    }

    @Test
    void aRaisedFindingShowsWithItsLabelsAndLinkThenItsResolutionTakesItOut() {
        AlertmanagerPoster poster = poster(alertmanager.url());
        String traceId = newTraceId();
        RunAlert raised = loop("loop:tool:search:3f2a");
        poster.raised(traceId, "planner", raised);

        awaitTrue("the alert in Alertmanager", () -> alertsOf(alertmanager, traceId).size() == 1);
        JsonObject alert = alertsOf(alertmanager, traceId).getJsonObject(0);
        Map<String, String> labels = new java.util.TreeMap<>();
        alert.getJsonObject("labels").forEach((k, v) -> labels.put(k, alert.getJsonObject("labels").getString(k)));
        assertEquals(Map.of("alertname", "AgentRunLoop", "kind", "loop", "severity", "critical", "trace_id", traceId,
                "agent", "planner", "finding", "loop:tool:search:3f2a"), labels);
        assertEquals(PUBLIC_URL + "/ui/traces/" + traceId, alert.getString("generatorURL"));
        assertEquals(RUNBOOKS + "/agent-run-loop.md", alert.getJsonObject("annotations").getString("runbook_url"));
        assertEquals("active", alert.getJsonObject("status").getString("state"));
        assertEquals(raised.at().truncatedTo(ChronoUnit.MILLIS), Instant.parse(alert.getString("startsAt")));
        assertTrue(Instant.parse(alert.getString("endsAt")).isAfter(Instant.now()), "firing: endsAt ahead");

        double resolvedBefore = resolvedReceived(alertmanager);
        poster.resolved(traceId, "planner", resolvedCopy(raised));
        awaitTrue("the alert resolved (gone from /api/v2/alerts)", () -> alertsOf(alertmanager, traceId).isEmpty());
        assertTrue(resolvedReceived(alertmanager) > resolvedBefore, "Alertmanager received a resolved alert, not an expiry");
        awaitTrue("the resolution forgotten once taken", () -> poster.remembered() == 0);
    }

    @Test
    void withAlertmanagerDownCallersReturnAtOnceAndTheAlertsArriveWhenItIsBack() {
        try (AlertmanagerServer own = AlertmanagerServer.startNew()) {
            AlertmanagerPoster poster = poster(own.url());
            String traceId = newTraceId();
            poster.raised(traceId, "planner", loop("loop:tool:search:before"));
            awaitTrue("the first alert in Alertmanager", () -> alertsOf(own, traceId).size() == 1);

            own.stop(); // kill -9: Alertmanager keeps alerts in memory only, so this one is gone too
            long startNanos = System.nanoTime();
            poster.raised(traceId, "planner", loop("loop:tool:search:during"));
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            System.out.println("raised() with Alertmanager down took " + took.toNanos() / 1_000 + " µs");
            assertTrue(took.compareTo(CALLER_BOUND) < 0, "raised() took " + took);

            // Let the worker fail at least once (connection refused) before Alertmanager is back.
            awaitTrue("a failed attempt", () -> poster.backoffInEffect());
            own.start();
            awaitTrue("both findings in Alertmanager after its restart", () -> alertsOf(own, traceId).size() == 2);
        }
    }

    @Test
    void aSilentAlertmanagerNeverSlowsTheCallers() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            // Accepts connections (the backlog does) and never answers: every post runs into its timeout.
            AlertmanagerPoster poster = poster(URI.create("http://127.0.0.1:" + silent.getLocalPort()));
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String traceId = newTraceId();
            long startNanos = System.nanoTime();
            int calls = 100;
            for (int i = 0; i < calls; i++) {
                RunAlert a = loop("loop:tool:search:" + i);
                poster.raised(traceId, null, a);
                poster.resolved(traceId, null, resolvedCopy(a));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            System.out.println(2 * calls + " calls with Alertmanager silent took " + took.toMillis() + " ms");
            assertTrue(took.compareTo(CALLER_BOUND) < 0, 2 * calls + " calls took " + took);
            awaitTrue("a post timed out", poster::backoffInEffect);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void twoInstancesPostingOneFindingMakeOneAlert() {
        AlertmanagerPoster first = poster(alertmanager.url());
        AlertmanagerPoster second = poster(alertmanager.url());
        String traceId = newTraceId();
        RunAlert raised = loop("loop:handoff:planner>critic");
        first.raised(traceId, "planner", raised);
        second.raised(traceId, "planner", raised);
        awaitTrue("the alert in Alertmanager", () -> alertsOf(alertmanager, traceId).size() == 1);
        // Both have posted (and re-posted) it; still one alert.
        awaitTrue("both posters done", () -> !first.anythingOwed() && !second.anythingOwed());
        assertEquals(1, alertsOf(alertmanager, traceId).size());

        first.resolved(traceId, "planner", resolvedCopy(raised));
        second.resolved(traceId, "planner", resolvedCopy(raised));
        awaitTrue("the alert resolved", () -> alertsOf(alertmanager, traceId).isEmpty());
    }

    private static double resolvedReceived(AlertmanagerServer am) {
        Matcher m = RESOLVED_RECEIVED.matcher(am.metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
