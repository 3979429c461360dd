package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.guards.AlertKind;
import io.tracestream.guards.AlertmanagerAlert;
import io.tracestream.ops.alerting.Ops.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * alerting/alertmanager.yml is valid ({@code amtool check-config}) and routes by severity: every
 * critical alert pages, every warning makes a ticket, each to its team; the run alerts Trace Stream
 * posts itself ({@code AgentRun*}) go to the team that runs the agents, one group per run. Needs
 * amtool (Debian package {@code prometheus-alertmanager}).
 */
class AlertmanagerConfigTest {

    private static Path config() {
        return Ops.alerting().resolve("alertmanager.yml");
    }

    @Test
    void configPassesAmtoolCheck() {
        String amtool = Ops.require("amtool", "prometheus-alertmanager");
        Ops.Result r = Ops.runOk(Ops.alerting(), List.of(amtool, "check-config", config().toString()));
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void routesBySeverityAndTeam() {
        String amtool = Ops.require("amtool", "prometheus-alertmanager");
        Map<String, String> expected = Map.of(
                "severity=critical team=trace-stream", "pager",
                "severity=critical team=workflows", "workflows-pager",
                "severity=warning team=trace-stream", "ticket",
                "severity=warning team=workflows", "workflows-ticket",
                "severity=info team=trace-stream", "chat");
        List<String> problems = new ArrayList<>();
        expected.forEach((labels, receiver) -> {
            String got = route(amtool, labels.split(" "));
            if (!got.equals(receiver)) {
                problems.add(labels + " -> " + got + ", expected " + receiver);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertReachesAReceiverOfItsSeverity() {
        String amtool = Ops.require("amtool", "prometheus-alertmanager");
        List<String> problems = new ArrayList<>();
        for (Rule a : Ops.alerts()) {
            String severity = a.labels().get("severity");
            String got = route(amtool, "alertname=" + a.alert(), "severity=" + severity, "team=" + a.labels().get("team"));
            boolean ok = switch (severity) {
                case "critical" -> got.endsWith("pager");
                case "warning" -> got.endsWith("ticket");
                default -> got.equals("chat");
            };
            if (!ok) {
                problems.add(a.alert() + " (" + severity + ") -> " + got);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every alertname the poster sends, at each severity its guards raise, reaches the agents' team. */
    @Test
    void runAlertsPageOrChatTheTeamThatRunsTheAgents() {
        String amtool = Ops.require("amtool", "prometheus-alertmanager");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("alertname=AgentRunLoop severity=critical", "workflows-pager");
        expected.put("alertname=AgentRunLoop severity=warning", "workflows-chat");
        expected.put("alertname=AgentRunBudget severity=critical", "workflows-pager");
        expected.put("alertname=AgentRunBudget severity=warning", "workflows-chat");
        expected.put("alertname=AgentRunSilent severity=warning", "workflows-chat");
        expected.put("alertname=AgentRunErrorBurst severity=warning", "workflows-chat");
        expected.put("alertname=AgentRunTooLong severity=warning", "workflows-chat");
        for (AlertKind kind : AlertKind.values()) {
            assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("alertname=" + AlertmanagerAlert.alertName(kind) + " ")),
                    "no routing case for " + AlertmanagerAlert.alertName(kind));
        }
        List<String> problems = new ArrayList<>();
        expected.forEach((labels, receiver) -> {
            // The labels the poster sets besides (see AlertmanagerAlert): they must not change the route.
            String got = route(amtool, (labels + " kind=loop trace_id=t1 agent=planner finding=loop:tool:search:3f2a").split(" "));
            if (!got.equals(receiver)) {
                problems.add(labels + " -> " + got + ", expected " + receiver);
            }
        });
        assertEquals(List.of(), problems);
    }

    /** One notification per kind and run: grouped by alertname and trace_id, soon (each group is one run's). */
    @Test
    void runAlertsAreGroupedPerKindAndRun() {
        Map<String, Object> runRoute = Ops.seq(Ops.map(Ops.map(Ops.yaml(config())).get("route")).get("routes")).stream()
                .map(Ops::map)
                .filter(r -> String.valueOf(r.get("matchers")).contains("alertname=~\"AgentRun.*\""))
                .findFirst().orElseThrow(() -> new AssertionError("no route for alertname=~\"AgentRun.*\""));
        assertEquals(List.of("alertname", "trace_id"), runRoute.get("group_by"));
        assertEquals("5s", runRoute.get("group_wait"));
    }

    /** A run's critical alert may mute that run's warnings of the same name, never another run's. */
    @Test
    void theSeverityInhibitionKeepsRunsApart() {
        List<Object> inhibitions = Ops.seq(Ops.map(Ops.yaml(config())).get("inhibit_rules"));
        for (Object o : inhibitions) {
            Map<String, Object> rule = Ops.map(o);
            if (String.valueOf(rule.get("source_matchers")).contains("severity=\"critical\"")
                    && String.valueOf(rule.get("target_matchers")).contains("severity=\"warning\"")) {
                assertTrue(Ops.seq(rule.get("equal")).contains("trace_id"), "equal: " + rule.get("equal"));
                return;
            }
        }
        throw new AssertionError("no critical-over-warning inhibition");
    }

    private static String route(String amtool, String... labels) {
        List<String> cmd = new ArrayList<>(List.of(amtool, "config", "routes", "test", "--config.file=" + config()));
        cmd.addAll(List.of(labels));
        Ops.Result r = Ops.runOk(Ops.alerting(), cmd);
        // amtool prints a warning about --alertmanager.url on stderr; the receiver is the last line
        List<String> lines = r.output().lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Warning:")).toList();
        assertTrue(!lines.isEmpty(), "no receiver from amtool:\n" + r.output());
        return lines.get(lines.size() - 1);
    }
}
