package io.tracestream.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of each fault scenario, as a markdown table in target/fault-report.md, rewritten
 * after every scenario so a run that stops half-way still leaves what it measured.
 */
final class FaultReport {

    private static final List<String> ROWS = new ArrayList<>();

    private FaultReport() {}

    /**
     * @param sent events stored (answered 202, counted once per event_id)
     * @param tally what the clients received against the trace histories
     */
    static synchronized void add(String scenario, int instances, long sent, Tally tally, String notes) {
        ROWS.add("| " + scenario + " | " + instances + " | " + tally.clients() + " | " + sent + " | " + tally.expected()
                + " | " + tally.received() + " | " + tally.lost() + " | " + tally.duplicated() + " | " + tally.outOfOrder()
                + " | " + notes.replace("|", "/") + " |");
        write();
    }

    private static void write() {
        StringBuilder md = new StringBuilder();
        md.append("# Fault tests: what clients received\n\n")
                .append("Measured by `mvn verify` (io.tracestream.faults.*IT): 3 Payara Micro instances (-Xmx256m) on one ")
                .append("private redis-server, 2 shared cores. *Events sent*: events stored (answered 202, once per ")
                .append("event_id). *Deliveries expected*: the sum over clients of the events of the trace each watched. ")
                .append("*Lost*, *duplicated*, *out of order*: against the trace's history in Redis (XRANGE).\n\n")
                .append("| Scenario | Instances | Clients | Events sent | Deliveries expected | Received | Lost | Duplicated | Out of order | Notes |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        ROWS.forEach(r -> md.append(r).append('\n'));
        try {
            Files.writeString(Faults.targetDir().resolve("fault-report.md"), md);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file() {
        return Faults.targetDir().resolve("fault-report.md");
    }
}
