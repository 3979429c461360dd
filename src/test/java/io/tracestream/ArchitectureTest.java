package io.tracestream;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the code to the package rules its {@code package-info.java} files state: each says, in a
 * sentence starting "May import", which of the project's packages ({@code {@code store}}) and which
 * guarded libraries ({@code {@code org.redisson}}) its classes may use. A package may always use
 * itself, the JDK and the libraries nobody guards (JSON-P, logging, annotations). Arrows between
 * packages must go one way: no cycles.
 */
class ArchitectureTest {

    private static final String ROOT = "io.tracestream";
    private static final Path SOURCES = Path.of("src/main/java/io/tracestream");
    /** Libraries a package uses only when its package-info says so. */
    private static final List<String> GUARDED = List.of("org.redisson", "io.netty", "jakarta.ws.rs", "jakarta.servlet",
            "jakarta.enterprise", "jakarta.inject", "org.eclipse.microprofile", "org.thymeleaf", "io.opentelemetry",
            "com.google.protobuf", "org.slf4j", "org.glassfish");
    /** What carries HTTP: the live engine speaks to clients through its own port, never through these. */
    private static final List<String> HTTP_LIBRARIES = List.of("jakarta.ws.rs", "jakarta.servlet", "org.glassfish");
    private static final Pattern MAY_IMPORT = Pattern.compile("May import (.*?)(?:\\.\\s|\\.$|;)", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("\\{@code ([A-Za-z0-9_.]+)}");
    /** A Javadoc tag naming nothing (wildcard-free): the project's packages are words, libraries dotted names. */
    private static final Set<String> NOTHING = Set.of("nothing");

    private static JavaClasses classes;
    private static Map<String, Rule> rules;

    /** What one package may use: project packages (full names) and library prefixes. */
    record Rule(Set<String> packages, Set<String> libraries) {}

    @BeforeAll
    static void read() throws IOException {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        rules = readRules();
    }

    @Test
    void everyPackageSaysWhatItMayImport() throws IOException {
        Set<String> packages = new TreeSet<>();
        classes.forEach(c -> packages.add(c.getPackageName()));
        Set<String> unruled = new TreeSet<>(packages);
        unruled.removeAll(rules.keySet());
        assertEquals(Set.of(), unruled, "packages without a 'May import' sentence in their package-info.java");
        assertTrue(packages.size() >= 10, "the classes were found: " + packages);
    }

    @Test
    void noPackageImportsWhatItsPackageInfoForbids() {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            Rule rule = rules.get(c.getPackageName());
            if (rule == null) {
                continue; // reported by everyPackageSaysWhatItMayImport
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!allowed(c.getPackageName(), rule, target)) {
                    violations.add(d.getDescription());
                }
            }
        }
        assertEquals(List.of(), violations.stream().distinct().sorted().toList());
    }

    @Test
    void theRulesCatchAForbiddenImport() {
        // The check above must be able to fail: the store port may not reach into its Redis adapter.
        Rule store = rules.get(ROOT + ".store");
        assertFalse(allowed(ROOT + ".store", store, ROOT + ".store.redis"));
        assertFalse(allowed(ROOT + ".store", store, "org.redisson.api"));
        assertTrue(allowed(ROOT + ".store.redis", rules.get(ROOT + ".store.redis"), "org.redisson.api"));
    }

    @Test
    void theLiveEngineUsesNoHttpLibrary() {
        List<String> http = new ArrayList<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(ROOT + ".live")) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (HTTP_LIBRARIES.stream().anyMatch(l -> target.equals(l) || target.startsWith(l + "."))) {
                    http.add(d.getDescription());
                }
            }
        }
        assertEquals(List.of(), http);
        Rule live = rules.get(ROOT + ".live");
        HTTP_LIBRARIES.forEach(l -> assertFalse(allowed(ROOT + ".live", live, l + ".Anything"), l));
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    private static boolean allowed(String from, Rule rule, String target) {
        if (target.equals(from) || target.startsWith("java.") || target.isEmpty()) {
            return true;
        }
        if (target.equals(ROOT) || target.startsWith(ROOT + ".")) {
            return rule.packages().contains(target);
        }
        for (String guarded : GUARDED) {
            if (target.equals(guarded) || target.startsWith(guarded + ".")) {
                return rule.libraries().stream().anyMatch(l -> target.equals(l) || target.startsWith(l + "."));
            }
        }
        return true;
    }

    private static Map<String, Rule> readRules() throws IOException {
        Map<String, Rule> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path info : files.filter(p -> p.getFileName().toString().equals("package-info.java")).toList()) {
                String text = Files.readString(info);
                String pkg = ROOT + (info.getParent().equals(SOURCES) ? ""
                        : "." + SOURCES.relativize(info.getParent()).toString().replace('/', '.'));
                Matcher sentence = MAY_IMPORT.matcher(text.replaceAll("\\s*\\*\\s*", " "));
                if (!sentence.find()) {
                    continue;
                }
                Set<String> packages = new TreeSet<>();
                Set<String> libraries = new TreeSet<>();
                Matcher code = CODE.matcher(sentence.group(1));
                while (code.find()) {
                    String name = code.group(1);
                    if (NOTHING.contains(name)) {
                        continue;
                    }
                    boolean library = GUARDED.stream().anyMatch(g -> name.equals(g) || name.startsWith(g + "."));
                    (library ? libraries : packages).add(library ? name : ROOT + "." + name);
                }
                out.put(pkg, new Rule(packages, libraries));
            }
        }
        return out;
    }
}
