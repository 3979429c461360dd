package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.alerting.Ops.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules of alerting/: they load ({@code promtool check rules}), their unit tests pass
 * ({@code promtool test rules}), every alert is tested both firing and silent, and every alert
 * carries what on-call needs. Needs promtool (Debian package {@code prometheus}).
 */
class AlertRulesTest {

    @Test
    void ruleFilesPassPromtoolCheck() {
        String promtool = Ops.require("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool, "check", "rules"));
        cmd.addAll(Ops.strings(Ops.ruleFiles(), Ops.alerting()));
        Ops.runOk(Ops.alerting(), cmd);
    }

    @Test
    void ruleUnitTestsPass() {
        String promtool = Ops.require("promtool", "prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool, "test", "rules"));
        cmd.addAll(Ops.strings(Ops.ruleTestFiles(), Ops.alerting()));
        Ops.Result r = Ops.runOk(Ops.alerting(), cmd);
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    /** The harness notices a wrong expectation: promtool exits non-zero and this would fail. */
    @Test
    void promtoolReportsAWrongExpectation(@TempDir Path tmp) throws IOException {
        String promtool = Ops.require("promtool", "prometheus");
        Path original = Ops.alerting().resolve("tests/trace-stream-service.test.yml");
        String broken = Ops.read(original)
                .replace("- ../trace-stream-service.rules.yml",
                        "- " + Ops.alerting().resolve("trace-stream-service.rules.yml"))
                .replace("{severity: critical, team: trace-stream, job: trace-stream, instance: \"ts1:8080\", mp_scope: application}",
                        "{severity: info, team: trace-stream, job: trace-stream, instance: \"ts1:8080\", mp_scope: application}");
        assertNotEquals(Ops.read(original), broken, "the mutation must change the test file");
        Path copy = Files.writeString(tmp.resolve("broken.test.yml"), broken);
        Ops.Result r = Ops.run(tmp, List.of(promtool, "test", "rules", copy.toString()));
        assertNotEquals(0, r.exit(), "promtool accepted a wrong expectation:\n" + r.output());
        assertTrue(r.output().contains("FAILED"), r.output());
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() {
        Map<String, int[]> cases = new TreeMap<>(); // alertname -> {firing, silent}
        for (Path file : Ops.ruleTestFiles()) {
            for (Object t : Ops.seq(Ops.map(Ops.yaml(file)).get("tests"))) {
                for (Object a : Ops.seq(Ops.map(t).get("alert_rule_test"))) {
                    Map<String, Object> check = Ops.map(a);
                    int[] n = cases.computeIfAbsent((String) check.get("alertname"), k -> new int[2]);
                    n[Ops.seq(check.get("exp_alerts")).isEmpty() ? 1 : 0]++;
                }
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> severities = new TreeMap<>();
        for (Rule alert : Ops.alerts()) {
            severities.computeIfAbsent(alert.alert(), k -> new TreeSet<>()).add(alert.labels().get("severity"));
        }
        for (String name : severities.keySet()) {
            int[] n = cases.getOrDefault(name, new int[2]);
            if (n[0] == 0) {
                problems.add(name + ": no promtool case where it fires");
            }
            if (n[1] == 0) {
                problems.add(name + ": no promtool case where it stays silent");
            }
        }
        for (String tested : cases.keySet()) {
            if (!severities.containsKey(tested)) {
                problems.add(tested + ": tested but no such alert");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everySeverityOfEveryAlertIsSeenFiring() {
        Set<String> seen = new TreeSet<>();
        for (Path file : Ops.ruleTestFiles()) {
            for (Object t : Ops.seq(Ops.map(Ops.yaml(file)).get("tests"))) {
                for (Object a : Ops.seq(Ops.map(t).get("alert_rule_test"))) {
                    Map<String, Object> check = Ops.map(a);
                    for (Object e : Ops.seq(check.get("exp_alerts"))) {
                        seen.add(check.get("alertname") + "/" + Ops.map(Ops.map(e).get("exp_labels")).get("severity"));
                    }
                }
            }
        }
        Set<String> wanted = new TreeSet<>();
        Ops.alerts().forEach(a -> wanted.add(a.alert() + "/" + a.labels().get("severity")));
        wanted.removeAll(seen);
        assertEquals(Set.of(), wanted, "alert/severity pairs no promtool case expects to fire");
    }

    @Test
    void everyAlertHasSeverityTeamSummaryDescriptionAndRunbook() {
        List<String> problems = new ArrayList<>();
        for (Rule a : Ops.alerts()) {
            String where = a.alert() + " (" + a.file().getFileName() + ")";
            if (!Ops.SEVERITIES.contains(a.labels().get("severity"))) {
                problems.add(where + ": severity must be one of " + Ops.SEVERITIES + ", is " + a.labels().get("severity"));
            }
            if (!Set.of("trace-stream", "workflows").contains(a.labels().get("team"))) {
                problems.add(where + ": team must be trace-stream or workflows");
            }
            for (String key : List.of("summary", "description", "runbook_url")) {
                if (a.annotations().getOrDefault(key, "").isBlank()) {
                    problems.add(where + ": no " + key + " annotation");
                }
            }
            if (!a.alert().startsWith("TraceStream")) {
                problems.add(where + ": alert names start with TraceStream");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void alertsOnlyUseTheScrapeJobOfTheService() {
        List<String> problems = new ArrayList<>();
        for (Rule r : Ops.rules()) {
            if (!Ops.metricNames(r.expr()).isEmpty() && !r.expr().contains("job=\"trace-stream\"")) {
                problems.add((r.isAlert() ? r.alert() : r.record()) + ": select job=\"trace-stream\"");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** alerting/metrics.txt lists exactly the metric names the rules and the dashboard use. */
    @Test
    void metricsFileListsEveryMetricUsed() {
        Set<String> used = new TreeSet<>();
        Ops.rules().forEach(r -> used.addAll(Ops.metricNames(r.expr())));
        used.addAll(GrafanaDashboardTest.metricsUsed());
        RunbooksTest.runbooksAndGuides().forEach(file -> RunbooksTest.promqlExpressions(RunbooksTest.diagnosis(file))
                .forEach(expr -> used.addAll(Ops.metricNames(expr))));
        assertEquals(used, Ops.metricsFile(), "alerting/metrics.txt must list every tracestream_* name used by "
                + "alerting/*.rules.yml, the dashboard and the runbooks' Diagnosis");
    }
}
