package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.guards.AlertKind;
import io.tracestream.guards.AlertmanagerAlert;
import io.tracestream.ops.alerting.Ops.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every alert's runbook_url names a file of runbooks/ with the sections Meaning, Impact, Diagnosis
 * and Mitigation (in that order), and so do the three guides; every Diagnosis gives the exact PromQL,
 * curl and redis-cli commands to run, and its PromQL parses; every alert runbook belongs to an
 * alert, and links between runbooks resolve. The run alerts Trace Stream posts to Alertmanager itself
 * (one per guard kind, {@link AlertmanagerAlert}) have their runbooks too, held to the same rules.
 */
class RunbooksTest {

    static final List<String> SECTIONS = List.of("## Meaning", "## Impact", "## Diagnosis", "## Mitigation");

    static final List<String> GUIDES = List.of("guide-slow-workflow.md", "guide-stuck-trace.md", "guide-redis-outage.md");

    /** A PromQL query run from a shell with the {@code q} helper of runbooks/README.md. */
    private static final Pattern Q_QUERY = Pattern.compile("(?:^|[;|&]|\\$\\()\\s*q '([^']+)'");

    private static final Pattern LOCAL_LINK = Pattern.compile("\\]\\(([^)#:\\s]+\\.md)(#[^)]*)?\\)");

    /** The runbooks/ file a runbook_url points to, or null if it does not have the agreed form. */
    static Path runbookFile(String url) {
        if (url == null || !url.startsWith(Ops.RUNBOOK_URL_PREFIX)) {
            return null;
        }
        String name = url.substring(Ops.RUNBOOK_URL_PREFIX.length());
        if (!name.matches("[a-z0-9-]+\\.md")) {
            return null;
        }
        return Ops.runbooks().resolve(name);
    }

    @Test
    void everyRunbookUrlMapsToARunbookWithTheFourSections() {
        List<String> problems = new ArrayList<>();
        for (Rule a : Ops.alerts()) {
            String url = a.annotations().get("runbook_url");
            Path file = runbookFile(url);
            if (file == null) {
                problems.add(a.alert() + ": runbook_url must be " + Ops.RUNBOOK_URL_PREFIX + "<name>.md, is " + url);
                continue;
            }
            if (!Files.isRegularFile(file)) {
                problems.add(a.alert() + ": " + url + " -> missing " + Ops.root().relativize(file));
                continue;
            }
            problems.addAll(sectionProblems(file));
            String text = Ops.read(file);
            if (!text.startsWith("# " + a.alert() + "\n")) {
                problems.add(file.getFileName() + ": first line must be '# " + a.alert() + "'");
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The run alerts' runbook_url is {@code <runbooks base>/} plus this file; it starts with its alertname. */
    @Test
    void everyRunAlertHasARunbookWithTheFourSections() {
        List<String> problems = new ArrayList<>();
        for (AlertKind kind : AlertKind.values()) {
            Path file = Ops.runbooks().resolve(AlertmanagerAlert.runbookFile(kind));
            if (!Files.isRegularFile(file)) {
                problems.add(kind.wireName() + ": missing runbooks/" + file.getFileName());
                continue;
            }
            problems.addAll(sectionProblems(file));
            String title = "# " + AlertmanagerAlert.alertName(kind);
            if (!Ops.read(file).startsWith(title + "\n")) {
                problems.add(file.getFileName() + ": first line must be '" + title + "'");
            }
        }
        assertEquals(List.of(), problems);
    }

    static List<String> sectionProblems(Path file) {
        List<String> problems = new ArrayList<>();
        List<String> lines = Ops.read(file).lines().toList();
        int last = -1;
        for (String section : SECTIONS) {
            int at = lines.indexOf(section);
            if (at < 0) {
                problems.add(file.getFileName() + ": no '" + section + "' section");
            } else if (at < last) {
                problems.add(file.getFileName() + ": '" + section + "' out of order");
            } else {
                int next = at + 1;
                while (next < lines.size() && !lines.get(next).startsWith("## ")) {
                    next++;
                }
                if (lines.subList(at + 1, next).stream().allMatch(String::isBlank)) {
                    problems.add(file.getFileName() + ": '" + section + "' is empty");
                }
                last = at;
            }
        }
        return problems;
    }

    @Test
    void diagnosisSectionsGiveThePromqlCurlAndRedisCliCommandsToRun() {
        List<String> problems = new ArrayList<>();
        for (Path file : runbooksAndGuides()) {
            problems.addAll(diagnosisProblems(file.getFileName().toString(), diagnosis(file)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theDiagnosisCheckRejectsASectionWithoutCommands() {
        String prose = "## Diagnosis\n\nLook at tracestream_redis_up and run curl on /health/ready or redis-cli PING.\n";
        assertEquals(List.of("x.md: Diagnosis has no PromQL (```promql block or q '<expr>')",
                "x.md: Diagnosis runs no curl command (in a ```bash block)",
                "x.md: Diagnosis runs no redis-cli command (rcli or redis-cli, in a ```bash block)"),
                diagnosisProblems("x.md", prose));
        String commented = "## Diagnosis\n\n```promql\n# up{job=\"trace-stream\"}\n```\n\n```bash\n# curl -sS $TS/metrics\n"
                + "echo rcli PING\n```\n";
        assertEquals(3, diagnosisProblems("x.md", commented).size(), "comments and arguments are not commands");
        String complete = "## Diagnosis\n\n```bash\nq 'up{job=\"trace-stream\"}'\nKEY=$(rcli --scan --pattern 'x*')\n"
                + "curl -sS $TS/metrics | grep -E '^tracestream_redis'\n```\n";
        assertEquals(List.of(), diagnosisProblems("x.md", complete));
    }

    /** The Diagnosis PromQL is meant to be pasted: it must parse, and use only metrics the server exports. */
    @Test
    void diagnosisPromqlParsesAndUsesExportedMetrics(@TempDir Path tmp) throws IOException {
        String promtool = Ops.require("promtool", "prometheus");
        List<String> exprs = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        for (Path file : runbooksAndGuides()) {
            for (String expr : promqlExpressions(diagnosis(file))) {
                exprs.add(expr);
                for (String metric : Ops.metricNames(expr)) {
                    if (!Ops.metricsFile().contains(metric)) {
                        unknown.add(file.getFileName() + ": " + metric);
                    }
                }
            }
        }
        assertTrue(exprs.size() >= 2 * alertRunbooks().size(), "expected PromQL in every runbook, found " + exprs.size());
        StringBuilder yaml = new StringBuilder("groups:\n  - name: runbook-queries\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            yaml.append("      - record: runbook:query").append(i).append('\n').append("        expr: |\n");
            exprs.get(i).lines().forEach(l -> yaml.append("          ").append(l).append('\n'));
        }
        Path rules = Files.writeString(tmp.resolve("runbooks.rules.yml"), yaml);
        Ops.runOk(tmp, List.of(promtool, "check", "rules", rules.toString()));
        assertEquals(Set.of(), unknown, "runbook PromQL uses metrics alerting/metrics.txt does not list");
    }

    /** The text of a file's Diagnosis section, from its heading to the next {@code ## } heading. */
    static String diagnosis(Path file) {
        List<String> lines = Ops.read(file).lines().toList();
        int at = lines.indexOf("## Diagnosis");
        if (at < 0) {
            return "";
        }
        int next = at + 1;
        while (next < lines.size() && !lines.get(next).startsWith("## ")) {
            next++;
        }
        return String.join("\n", lines.subList(at, next)) + "\n";
    }

    static List<String> diagnosisProblems(String name, String diagnosis) {
        List<String> problems = new ArrayList<>();
        if (promqlExpressions(diagnosis).isEmpty()) {
            problems.add(name + ": Diagnosis has no PromQL (```promql block or q '<expr>')");
        }
        List<String> shell = commandLines(diagnosis);
        if (shell.stream().noneMatch(l -> runs(l, "curl"))) {
            problems.add(name + ": Diagnosis runs no curl command (in a ```bash block)");
        }
        if (shell.stream().noneMatch(l -> runs(l, "rcli") || runs(l, "redis-cli"))) {
            problems.add(name + ": Diagnosis runs no redis-cli command (rcli or redis-cli, in a ```bash block)");
        }
        return problems;
    }

    /**
     * PromQL expressions: each line of a ```promql block (indented lines continue the one above,
     * {@code #} lines are comments), and the argument of each {@code q '<expr>'} of a shell block.
     */
    static List<String> promqlExpressions(String text) {
        List<String> exprs = new ArrayList<>();
        for (String block : codeBlocks(text, "promql")) {
            StringBuilder current = null;
            for (String line : block.lines().toList()) {
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                if (Character.isWhitespace(line.charAt(0)) && current != null) {
                    current.append('\n').append(line);
                } else {
                    if (current != null) {
                        exprs.add(current.toString());
                    }
                    current = new StringBuilder(line);
                }
            }
            if (current != null) {
                exprs.add(current.toString());
            }
        }
        for (String line : commandLines(text)) {
            Matcher m = Q_QUERY.matcher(line);
            while (m.find()) {
                exprs.add(m.group(1));
            }
        }
        return exprs;
    }

    /** The non-comment lines of the ```bash / ```sh blocks. */
    static List<String> commandLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String lang : List.of("bash", "sh")) {
            for (String block : codeBlocks(text, lang)) {
                block.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).forEach(lines::add);
            }
        }
        return lines;
    }

    /** Whether a shell line runs {@code command}: first on the line, after a pipe, ; or &&, or in $(...). */
    static boolean runs(String line, String command) {
        return Pattern.compile("(?:^|[;|&]|\\$\\(|\\bdo)\\s*" + Pattern.quote(command) + "\\s").matcher(line).find();
    }

    static List<String> codeBlocks(String text, String lang) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```" + Pattern.quote(lang) + "\\s*\n(.*?)^```", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    @Test
    void everyAlertRunbookBelongsToAnAlert() {
        Set<Path> referenced = new TreeSet<>();
        Ops.alerts().forEach(a -> referenced.add(runbookFile(a.annotations().get("runbook_url"))));
        for (AlertKind kind : AlertKind.values()) {
            referenced.add(Ops.runbooks().resolve(AlertmanagerAlert.runbookFile(kind)));
        }
        List<String> orphans = new ArrayList<>();
        for (Path file : alertRunbooks()) {
            if (!referenced.contains(file)) {
                orphans.add(file.getFileName().toString());
            }
        }
        assertEquals(List.of(), orphans, "runbooks no alert points to (guides are named guide-*.md)");
    }

    @Test
    void theGuidesExistWithTheFourSections() {
        List<String> problems = new ArrayList<>();
        for (Path file : guides()) {
            if (!Files.isRegularFile(file)) {
                problems.add("missing runbooks/" + file.getFileName());
            } else {
                problems.addAll(sectionProblems(file));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void linksBetweenRunbooksResolve() {
        List<String> broken = new ArrayList<>();
        for (Path file : Ops.list(Ops.runbooks(), ".md")) {
            Matcher m = LOCAL_LINK.matcher(Ops.read(file));
            while (m.find()) {
                if (!Files.isRegularFile(file.resolveSibling(m.group(1)))) {
                    broken.add(file.getFileName() + " -> " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    static List<Path> guides() {
        return GUIDES.stream().map(g -> Ops.runbooks().resolve(g)).toList();
    }

    static List<Path> runbooksAndGuides() {
        List<Path> all = new ArrayList<>(alertRunbooks());
        all.addAll(guides());
        return all;
    }

    /** runbooks/*.md except the index and the guides. */
    static List<Path> alertRunbooks() {
        return Ops.list(Ops.runbooks(), ".md").stream()
                .filter(p -> !p.getFileName().toString().equals("README.md"))
                .filter(p -> !p.getFileName().toString().startsWith("guide-"))
                .toList();
    }
}
