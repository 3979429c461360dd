package io.tracestream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Where a server's CPU time goes, sampled by async-profiler (from Maven Central, attached with
 * {@code jcmd JVMTI.agent_load}) with an interval timer: it sees every thread, native code and
 * system calls included, which JFR's execution samples leave out, and costs little enough that
 * the server keeps its pace while sampled.
 */
final class CpuProfile {

    /**
     * Where samples are charged, in this order: the first rule whose frame is on the stack (and,
     * when given, whose leaf frame ends the stack) wins. The stack floor's frames are charged to
     * the same roles, so that the two profiles read side by side.
     */
    private static final String[][] RULES = {
            {"write(2) to SSE clients", "TraceStream.drain", "__GI_write"},
            {"write(2) to SSE clients", "BareHub.doPost", "__GI_write"},
            {"SSE: our framing, then the JAX-RS sink or the response stream", "TraceStream.drain", null},
            {"SSE: our framing, then the JAX-RS sink or the response stream", "BareHub.doPost", null},
            {"ingest: our code (parse, validate, store)", "JsonEventsEndpoint.doFilter", null},
            {"OTLP ingest: decode, map, store", "OtlpEndpoint.service", null},
            {"HTTP: write(2) of the answer to a request", "Response.finish", "__GI_write"},
            {"HTTP: Grizzly and Catalina around requests", "AbstractThreadPool$Worker.run", null},
            {"Redis client: Netty I/O, encoding, decoding", "NioIoHandler.run", null},
            {"Redis client: Netty tasks", "SingleThreadEventExecutor.runAllTasks", null},
            {"Redis client: live messages handed to listener threads", "CommandPubSubDecoder", null},
            {"fan-out reader threads", "FanoutReader.run", null},
            {"writer pool: waiting for and handing over work", "ThreadPoolExecutor.getTask", null},
            {"HTTP: selector threads", "SelectorRunner", null},
            {"GC", "G1", null},
            {"JIT compiler", "CompileBroker", null},
    };

    private final Path library;

    private CpuProfile(Path library) {
        this.library = library;
    }

    /** The profiler from the class path (the bench profile's async-profiler jar), or null when absent. */
    static CpuProfile fromClassPath(Path work) throws IOException {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("async-profiler")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                ZipEntry so = jar.getEntry("linux-x64/libasyncProfiler.so");
                if (so == null) {
                    return null;
                }
                Path out = work.resolve("libasyncProfiler.so");
                try (InputStream in = jar.getInputStream(so)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                return new CpuProfile(out);
            }
        }
        return null;
    }

    void start(long pid, Path file) {
        command(pid, "start,event=itimer,interval=1ms,file=" + file);
    }

    void stop(long pid, Path file) {
        command(pid, "stop,file=" + file + ",collapsed");
    }

    private void command(long pid, String options) {
        // jcmd splits its arguments on commas unless the option string is quoted.
        Procs.jcmd(pid, "JVMTI.agent_load", library.toString(), "\"" + options + "\"");
    }

    /** A summary of collapsed stacks: share by role, then the hottest leaf frames. */
    static String summarize(Path collapsed, int top) throws IOException {
        List<String> lines = Files.readAllLines(collapsed);
        Map<String, Long> roles = roles(lines);
        Map<String, Long> leaves = new HashMap<>();
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space >= 0) {
                String stack = line.substring(0, space);
                String leaf = stack.substring(stack.lastIndexOf(';') + 1);
                leaves.merge(leaf.replace('/', '.'), Long.parseLong(line.substring(space + 1)), Long::sum);
            }
        }
        long all = roles.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d samples (1 per ms of CPU)%n", all));
        out.append("Share of the server's CPU, by what it was doing:\n");
        roles.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / all, e.getKey())));
        out.append("Hottest frames (self time):\n");
        List<Map.Entry<String, Long>> hot = new ArrayList<>(leaves.entrySet());
        hot.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        hot.stream().limit(top).forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n",
                100.0 * e.getValue() / all, e.getKey())));
        return out.toString();
    }

    /**
     * Two profiles of the same load side by side, in microseconds of server CPU per unit of work
     * (each profile's shares times the CPU per unit measured while it was taken).
     */
    static String compare(String unit, String floorName, Path floor, double floorUs, String name, Path profile,
                          double us) throws IOException {
        Map<String, Long> a = roles(Files.readAllLines(floor));
        Map<String, Long> b = roles(Files.readAllLines(profile));
        double totalA = a.values().stream().mapToLong(Long::longValue).sum();
        double totalB = b.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Server CPU per %s, us (each profile's shares x the CPU per %s measured while it ran):%n%8s %8s  role%n",
                unit, unit, floorName, name));
        b.keySet().stream()
                .filter(k -> a.get(k) > 0 || b.get(k) > 0)
                .sorted((x, y) -> Double.compare(b.get(y) / totalB * us - a.get(y) / totalA * floorUs,
                        b.get(x) / totalB * us - a.get(x) / totalA * floorUs))
                .forEach(k -> out.append(String.format(Locale.ROOT, "%8.1f %8.1f  %s%n",
                        a.get(k) / totalA * floorUs, b.get(k) / totalB * us, k)));
        out.append(String.format(Locale.ROOT, "%8.1f %8.1f  all%n", floorUs, us));
        return out.toString();
    }

    /** Samples by role, every role present (0 when none), in the order of {@link #RULES}. */
    private static Map<String, Long> roles(List<String> collapsed) {
        Map<String, Long> roles = new LinkedHashMap<>();
        for (String[] rule : RULES) {
            roles.put(rule[0], 0L);
        }
        roles.put("other", 0L);
        for (String line : collapsed) {
            int space = line.lastIndexOf(' ');
            if (space >= 0) {
                roles.merge(role(line.substring(0, space)), Long.parseLong(line.substring(space + 1)), Long::sum);
            }
        }
        return roles;
    }

    private static String role(String stack) {
        for (String[] rule : RULES) {
            if (stack.contains(rule[1]) && (rule[2] == null || stack.endsWith(rule[2]))) {
                return rule[0];
            }
        }
        return "other";
    }
}
