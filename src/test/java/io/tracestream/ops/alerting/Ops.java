package io.tracestream.ops.alerting;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Shared helpers of the operations tests: where the repository's ops files are, how to run the
 * Prometheus / Alertmanager / nginx command-line tools, and what the alert rule files contain.
 */
final class Ops {

    /** Every runbook_url starts with this; the rest is a file name in runbooks/. */
    static final String RUNBOOK_URL_PREFIX = "https://github.com/tracestream/trace-stream/blob/main/runbooks/";

    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    /** Metric names as they appear in PromQL; recording rules (with colons) are not matched. */
    private static final Pattern METRIC = Pattern.compile("(?<![:\\w])tracestream_[a-z0-9_]+");

    private Ops() {
    }

    // ------------------------------------------------------------------ files

    /** The repository root: the first directory up from the working directory holding alerting/. */
    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("alerting")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        return fail("no alerting/ directory above " + dir);
    }

    static Path alerting() {
        return root().resolve("alerting");
    }

    static Path runbooks() {
        return root().resolve("runbooks");
    }

    static Path docker() {
        return root().resolve("docker");
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            assertTrue(!found.isEmpty(), "no *" + suffix + " in " + dir);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> ruleFiles() {
        return list(alerting(), ".rules.yml");
    }

    static List<Path> ruleTestFiles() {
        return list(alerting().resolve("tests"), ".test.yml");
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plain maps and lists; merge keys ({@code <<: *anchor}) are resolved. */
    static Object yaml(Path file) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> seq(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(promql);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** alerting/metrics.txt: every metric name the rules and the dashboard use, one a line. */
    static Set<String> metricsFile() {
        return read(alerting().resolve("metrics.txt")).lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ rules

    record Rule(Path file, String group, String alert, String record, String expr,
                Map<String, String> labels, Map<String, String> annotations) {

        boolean isAlert() {
            return alert != null;
        }
    }

    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (Object g : seq(map(yaml(file)).get("groups"))) {
                Map<String, Object> group = map(g);
                for (Object r : seq(group.get("rules"))) {
                    Map<String, Object> rule = map(r);
                    rules.add(new Rule(file, (String) group.get("name"), (String) rule.get("alert"),
                            (String) rule.get("record"), String.valueOf(rule.get("expr")),
                            strings(rule.get("labels")), strings(rule.get("annotations"))));
                }
            }
        }
        return rules;
    }

    static List<Rule> alerts() {
        List<Rule> alerts = rules().stream().filter(Rule::isAlert).toList();
        assertTrue(!alerts.isEmpty(), "no alerting rule in alerting/*.rules.yml");
        return alerts;
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    // ------------------------------------------------------------------ tools

    record Result(int exit, String output) {
    }

    /**
     * The path of a command-line tool, or a test failure naming the Debian package to install. The
     * tools are part of what the tests check: a missing one must fail the build, never skip it.
     */
    static String require(String command, String debianPackage) {
        String found = find(command);
        if (found == null) {
            fail("'" + command + "' is not installed: this test needs it. On Debian/Ubuntu: "
                    + "apt-get install -y " + debianPackage);
        }
        return found;
    }

    /** The path of a tool on PATH (or in /usr/sbin, where Debian puts nginx), else null. */
    static String find(String command) {
        List<String> dirs = new ArrayList<>(Arrays.asList(
                Objects.requireNonNullElse(System.getenv("PATH"), "").split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** Runs a command in {@code dir}, stdout and stderr merged; fails the test on timeout. */
    static Result run(Path dir, List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("ops-tool-", ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("timed out after 120 s: " + String.join(" ", command) + "\n" + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + String.join(" ", command));
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Runs a command and asserts exit code 0, showing the command and its output otherwise. */
    static Result runOk(Path dir, List<String> command) {
        Result r = run(dir, command);
        if (r.exit() != 0) {
            fail("exit code " + r.exit() + " from: " + String.join(" ", command) + " (in " + dir + ")\n" + r.output());
        }
        return r;
    }

    static List<String> strings(List<Path> paths, Path relativeTo) {
        return paths.stream().map(p -> relativeTo.relativize(p).toString()).toList();
    }
}
