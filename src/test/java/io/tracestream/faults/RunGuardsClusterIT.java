package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.Metrics;
import io.tracestream.testkit.AlertmanagerServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The run guards on three instances behind one Redis, posting to a real Alertmanager: a run whose
 * events arrive through every instance in turn (each instance hears a third of them live) is judged
 * on all of them, and each finding is stored once, counted once and one alert in Alertmanager;
 * every instance ticks a quiet run, and its silence is stored once; with Alertmanager down, ingest
 * answers as before, and the findings reach Alertmanager when it is back.
 */
class RunGuardsClusterIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static AlertmanagerServer alertmanager;
    static Cluster cluster;

    @BeforeAll
    static void start() {
        alertmanager = AlertmanagerServer.startNew();
        cluster = Cluster.start("guards", 3, Map.of(
                "tracestream.guards.enabled", "true",
                "tracestream.guards.check-every", "PT0.2S",
                "tracestream.guards.silent-after", "PT0S",
                "tracestream.guards.overrides", "quiet-: silent-after=PT2S",
                "tracestream.alertmanager.url", alertmanager.url().toString(),
                "tracestream.alertmanager.repost-every", "PT2S"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String sameSearch() {
        return event("tool_call", "researcher", "\"attributes\":{\"tool\":\"web_search\"},\"input\":{\"query\":\"latest release\"}");
    }

    /** The run's stored alerts (raised and resolved), in history order, read through instance 0. */
    static List<JsonObject> storedAlerts(String trace) {
        HttpResponse<String> r = cluster.get(0).api().get("traces/" + trace + "/events?limit=1000");
        assertEquals(200, r.statusCode(), r.body());
        return Api.json(r).getJsonArray("events").stream().map(JsonValue::asJsonObject)
                .filter(e -> "alert".equals(e.getString("event_type"))).toList();
    }

    static List<JsonObject> inAlertmanager(String trace) {
        JsonArray all = alertmanager.alerts();
        return all.stream().map(JsonValue::asJsonObject)
                .filter(a -> trace.equals(a.getJsonObject("labels").getString("trace_id", null))).toList();
    }

    static double raisedCounted(String kind, String severity) {
        double sum = 0;
        for (Instance i : cluster.instances()) {
            sum += Metrics.scrape(i.api()).counter("tracestream_run_alerts_total", Map.of("kind", kind, "severity", severity));
        }
        return sum;
    }

    @Test
    void aLoopInARunSentThroughThreeInstancesIsStoredOnceCountedOnceAndOneAlertInAlertmanager() throws Exception {
        String trace = "loop-cluster-" + System.nanoTime();
        double before = raisedCounted("loop", "critical");
        cluster.get(0).api().append(trace, event("workflow_started", "planner", ""));
        for (int i = 1; i <= 4; i++) {
            cluster.get(i % 3).api().append(trace, sameSearch());
        }
        Faults.await(WAIT, () -> "one loop alert stored: " + storedAlerts(trace), () -> storedAlerts(trace).size() == 1);
        Faults.await(WAIT, () -> "the loop in Alertmanager: " + alertmanager.alerts(), () -> inAlertmanager(trace).size() == 1);
        // Every instance follows the run and re-posts it (every 2 s here): still one finding, one alert.
        Thread.sleep(5_000);
        List<JsonObject> stored = storedAlerts(trace);
        assertEquals(1, stored.size(), "stored once: " + stored);
        assertEquals("loop", stored.get(0).getString("kind"));
        assertEquals(1, inAlertmanager(trace).size(), "one alert in Alertmanager: " + inAlertmanager(trace));
        assertEquals(before + 1, raisedCounted("loop", "critical"), "counted once across the three instances");

        cluster.get(2).api().append(trace, event("workflow_completed", "planner", ""));
        Faults.await(WAIT, () -> "the resolution stored: " + storedAlerts(trace), () -> storedAlerts(trace).size() == 2);
        Faults.await(WAIT, () -> "resolved in Alertmanager: " + inAlertmanager(trace), () -> inAlertmanager(trace).isEmpty());
        Thread.sleep(5_000); // re-posts would fire it again, were a stale instance to re-post it
        assertEquals(List.of(), inAlertmanager(trace), "still resolved after the instances' re-posts");
        assertEquals(2, storedAlerts(trace).size());
        assertTrue(storedAlerts(trace).get(1).getBoolean("resolved"));
    }

    @Test
    void aQuietRunThatEveryInstanceFollowsIsOneSilenceAndTheNextEventThroughAnyInstanceResolvesIt() throws Exception {
        String trace = "quiet-cluster-" + System.nanoTime();
        cluster.get(0).api().append(trace, event("workflow_started", "planner", ""));
        cluster.get(1).api().append(trace, event("task_started", "coder", "\"task_id\":\"t1\""));
        cluster.get(2).api().append(trace, event("task_started", "tester", "\"task_id\":\"t2\""));
        Faults.await(WAIT, () -> "a silence stored: " + storedAlerts(trace), () -> storedAlerts(trace).size() == 1);
        Thread.sleep(3_000); // every instance ticks the run: still one silence
        assertEquals(1, storedAlerts(trace).size(), "one silence: " + storedAlerts(trace));
        assertEquals("silent", storedAlerts(trace).get(0).getString("kind"));
        Faults.await(WAIT, () -> "the silence in Alertmanager", () -> inAlertmanager(trace).size() == 1);

        cluster.get(1).api().append(trace, event("task_completed", "coder", "\"task_id\":\"t1\""));
        Faults.await(WAIT, () -> "the silence resolved: " + storedAlerts(trace),
                () -> storedAlerts(trace).stream().anyMatch(a -> a.getBoolean("resolved")));
        Faults.await(WAIT, () -> "resolved in Alertmanager: " + inAlertmanager(trace), () -> inAlertmanager(trace).isEmpty());
        cluster.get(0).api().append(trace, event("workflow_completed", "planner", ""));
    }

    @Test
    void withAlertmanagerDownIngestAnswersAsBeforeAndTheFindingReachesAlertmanagerWhenItIsBack() throws Exception {
        String trace = "loop-am-down-" + System.nanoTime();
        alertmanager.stop();
        try {
            cluster.get(0).api().append(trace, event("workflow_started", "planner", ""));
            for (int i = 1; i <= 4; i++) {
                HttpResponse<String> r = cluster.get(i % 3).api().post("traces/" + trace + "/events", sameSearch());
                assertEquals(202, r.statusCode(), r.body());
            }
            Faults.await(WAIT, () -> "the loop stored with Alertmanager down", () -> storedAlerts(trace).size() == 1);
            // Ingest goes on as before while the posts fail.
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = cluster.get(i % 3).api().post("traces/" + trace + "/events",
                        event("message", "researcher", "\"attributes\":{\"n\":" + i + "}"));
                assertEquals(202, r.statusCode(), r.body());
            }
        } finally {
            alertmanager.start();
        }
        Faults.await(WAIT, () -> "the loop in Alertmanager once it is back: " + alertmanager.alerts(),
                () -> inAlertmanager(trace).size() == 1);
        cluster.get(0).api().append(trace, event("workflow_completed", "planner", ""));
    }
}
