package io.tracestream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/** Where the server's time and allocations went, from a JFR recording: top frames and threads. */
final class JfrSummary {

    private JfrSummary() {
    }

    static String summarize(Path file, int top) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> ours = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>();
        Map<String, Long> allocSite = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        long gcCount = 0;
        Duration gcPause = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = st.getFrames();
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    String firstOurs = null;
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (seen.add(n)) {
                            inclusive.merge(n, 1L, Long::sum);
                        }
                        if (firstOurs == null && n.startsWith("io.tracestream.")) {
                            firstOurs = n;
                        }
                    }
                    ours.merge(firstOurs == null ? "(no io.tracestream frame)" : firstOurs, 1L, Long::sum);
                    RecordedThread t = e.getThread("sampledThread");
                    String tn = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
                    threads.merge(tn.replaceAll("\\d+", "#"), 1L, Long::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null) {
                        String site = "?";
                        for (RecordedFrame f : st.getFrames()) {
                            String n = name(f);
                            if (!n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                                site = n;
                                break;
                            }
                        }
                        allocSite.merge(site, w, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcPause = gcPause.plus(e.getDuration("sumOfPauses"));
                }
                default -> {
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d CPU samples; %d GCs, %d ms paused; %.0f MB allocated (sampled estimate)%n",
                samples, gcCount, gcPause.toMillis(), allocTotal / 1048576.0));
        section(sb, "Threads (share of CPU samples)", threads, samples, top);
        section(sb, "Top frames, self time", self, samples, top);
        section(sb, "Top methods, inclusive (on the stack)", inclusive, samples, top + 10);
        section(sb, "First io.tracestream frame on the stack", ours, samples, top);
        section(sb, "Allocation by class (share of sampled bytes)", allocClass, allocTotal, 10);
        section(sb, "Allocation by first non-JDK frame", allocSite, allocTotal, 10);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Long> counts, long total, int top) {
        sb.append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(en -> sb.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n",
                        total == 0 ? 0 : 100.0 * en.getValue() / total, en.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
