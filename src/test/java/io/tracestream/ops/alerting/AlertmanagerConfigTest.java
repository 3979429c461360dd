package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.alerting.Ops.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * alerting/alertmanager.yml is valid ({@code amtool check-config}) and routes by severity: every
 * critical alert pages, every warning makes a ticket, each to its team. Needs amtool (Debian
 * package {@code prometheus-alertmanager}).
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
