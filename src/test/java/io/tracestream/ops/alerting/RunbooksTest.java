package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.ops.alerting.Ops.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every alert's runbook_url names a file of runbooks/ with the sections Meaning, Impact, Diagnosis
 * and Mitigation (in that order), every alert runbook belongs to an alert, and links between
 * runbooks resolve.
 */
class RunbooksTest {

    static final List<String> SECTIONS = List.of("## Meaning", "## Impact", "## Diagnosis", "## Mitigation");

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
    void diagnosisSectionsGiveCommandsToRun() {
        List<String> problems = new ArrayList<>();
        for (Path file : alertRunbooks()) {
            String text = Ops.read(file);
            String diagnosis = text.substring(text.indexOf("## Diagnosis"), text.indexOf("## Mitigation"));
            if (!diagnosis.contains("```promql")) {
                problems.add(file.getFileName() + ": Diagnosis has no ```promql block");
            }
            if (!diagnosis.contains("```bash")) {
                problems.add(file.getFileName() + ": Diagnosis has no ```bash block (curl / redis-cli)");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertRunbookBelongsToAnAlert() {
        Set<Path> referenced = new TreeSet<>();
        Ops.alerts().forEach(a -> referenced.add(runbookFile(a.annotations().get("runbook_url"))));
        List<String> orphans = new ArrayList<>();
        for (Path file : alertRunbooks()) {
            if (!referenced.contains(file)) {
                orphans.add(file.getFileName().toString());
            }
        }
        assertEquals(List.of(), orphans, "runbooks no alert points to (guides are named guide-*.md)");
    }

    @Test
    void theGuidesExist() {
        for (String guide : List.of("guide-slow-workflow.md", "guide-stuck-trace.md", "guide-redis-outage.md")) {
            Path file = Ops.runbooks().resolve(guide);
            assertEquals(true, Files.isRegularFile(file), "missing runbooks/" + guide);
        }
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

    /** runbooks/*.md except the index and the guides. */
    static List<Path> alertRunbooks() {
        return Ops.list(Ops.runbooks(), ".md").stream()
                .filter(p -> !p.getFileName().toString().equals("README.md"))
                .filter(p -> !p.getFileName().toString().startsWith("guide-"))
                .toList();
    }
}
