package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alerting/grafana/trace-stream.json: valid JSON, a sane layout, and every query valid PromQL
 * (checked by promtool as recording rules) over the metrics of alerting/metrics.txt.
 */
class GrafanaDashboardTest {

    static Path dashboardFile() {
        return Ops.alerting().resolve("grafana/trace-stream.json");
    }

    static JsonObject dashboard() {
        try (JsonReader reader = Json.createReader(new StringReader(Ops.read(dashboardFile())))) {
            return reader.readObject();
        }
    }

    /** Every PromQL expression of the dashboard (panels and template variables). */
    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        for (JsonValue p : dashboard().getJsonArray("panels")) {
            JsonObject panel = p.asJsonObject();
            for (JsonValue t : panel.getJsonArray("targets") == null ? List.<JsonValue>of() : panel.getJsonArray("targets")) {
                exprs.add(t.asJsonObject().getString("expr"));
            }
        }
        return exprs;
    }

    static Set<String> metricsUsed() {
        Set<String> names = new TreeSet<>();
        expressions().forEach(e -> names.addAll(Ops.metricNames(e)));
        return names;
    }

    @Test
    void isAProvisionableDashboard() {
        JsonObject d = dashboard();
        assertEquals("trace-stream", d.getString("uid"));
        assertEquals("Trace Stream", d.getString("title"));
        assertTrue(d.getInt("schemaVersion") >= 30, "schemaVersion");
        assertTrue(!d.containsKey("id") || d.isNull("id"), "a provisioned dashboard must not carry a database id");
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonValue p : d.getJsonArray("panels")) {
            JsonObject panel = p.asJsonObject();
            String title = panel.getString("title");
            if (!ids.add(panel.getInt("id"))) {
                problems.add(title + ": duplicate panel id " + panel.getInt("id"));
            }
            JsonObject grid = panel.getJsonObject("gridPos");
            if (grid.getInt("x") + grid.getInt("w") > 24) {
                problems.add(title + ": wider than the 24-column grid");
            }
            if (!panel.getString("type").equals("row")
                    && (panel.getJsonArray("targets") == null || panel.getJsonArray("targets").isEmpty())) {
                problems.add(title + ": no query");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void usesTheProvisionedDatasource() {
        Map<String, Object> ds = Ops.map(Ops.seq(Ops.map(Ops.yaml(
                Ops.docker().resolve("grafana/provisioning/datasources/prometheus.yml"))).get("datasources")).get(0));
        JsonObject variable = dashboard().getJsonObject("templating").getJsonArray("list").get(0).asJsonObject();
        assertEquals("datasource", variable.getString("name"));
        assertEquals(ds.get("uid"), variable.getJsonObject("current").getString("value"),
                "the dashboard's default data source is the provisioned one");
    }

    @Test
    void everyQueryIsValidPromql(@TempDir Path tmp) throws IOException {
        String promtool = Ops.require("promtool", "prometheus");
        List<String> exprs = expressions();
        assertTrue(exprs.size() >= 20, "expected a full dashboard, found " + exprs.size() + " queries");
        StringBuilder yaml = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            // Grafana variables: $instance is a regex of instances.
            String expr = exprs.get(i).replace("$instance", ".*");
            yaml.append("      - record: dashboard:query").append(i).append('\n')
                .append("        expr: |\n");
            expr.lines().forEach(l -> yaml.append("          ").append(l).append('\n'));
        }
        Path rules = Files.writeString(tmp.resolve("dashboard.rules.yml"), yaml);
        Ops.runOk(tmp, List.of(promtool, "check", "rules", rules.toString()));
    }

    @Test
    void queriesOnlyUseListedMetrics() {
        Set<String> unknown = new TreeSet<>(metricsUsed());
        unknown.removeAll(Ops.metricsFile());
        assertEquals(Set.of(), unknown, "metrics the dashboard queries that alerting/metrics.txt does not list");
    }

    @Test
    void showsEveryServiceAndWorkflowMetric() {
        Set<String> missing = new TreeSet<>();
        for (String base : List.of("tracestream_events_ingested_total", "tracestream_events_rejected_total",
                "tracestream_sse_streams_open", "tracestream_sse_streams_max", "tracestream_events_delivered_total",
                "tracestream_delivery_latency_seconds_bucket", "tracestream_consumer_pending", "tracestream_consumer_lag",
                "tracestream_consumer_claimed_total", "tracestream_redis_errors_total", "tracestream_redis_up",
                "tracestream_sse_slow_consumers_dropped_total", "tracestream_workflows_started_total",
                "tracestream_workflows_completed_total", "tracestream_workflows_failed_total",
                "tracestream_workflow_duration_seconds_bucket", "tracestream_step_duration_seconds_bucket",
                "tracestream_task_failures_total", "tracestream_llm_tokens_total", "tracestream_llm_cost_usd_total",
                "tracestream_workflows_running", "tracestream_workflows_stalled",
                "tracestream_oldest_running_workflow_age_seconds", "tracestream_agent_last_event_timestamp_seconds")) {
            if (!metricsUsed().contains(base)) {
                missing.add(base);
            }
        }
        assertEquals(Set.of(), missing, "metrics without a panel");
    }
}
