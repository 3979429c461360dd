package io.tracestream.web;

import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.stream.EventBus;
import io.tracestream.stream.EventBus.TraceActivity;
import io.tracestream.stream.TraceSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The traces the list page shows: recent ones, filtered, the running ones first. */
@ApplicationScoped
public class TraceRows {

    /** A page for people, not an export: the API pages through everything. */
    static final int MAX_ROWS = 100;
    /** Bounds the work of one refresh when a filter matches few traces. */
    static final int MAX_SCANNED = 1000;

    private static final Comparator<TraceRow> ORDER = Comparator
            .comparing((TraceRow r) -> !r.active())
            .thenComparing(TraceRow::lastEventAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(TraceRow::traceId);

    @Inject
    EventBus bus;
    @Inject
    TraceSummaries summaries;

    /**
     * @param status wire name, or null/blank for every status; an unknown name matches nothing
     * @param agent  exact agent id, or null/blank for every agent
     */
    public List<TraceRow> find(String status, String agent) {
        String wantedStatus = status == null ? null : blankToNull(status.toLowerCase(Locale.ROOT));
        String wantedAgent = blankToNull(agent);
        List<TraceRow> rows = new ArrayList<>();
        TraceActivity position = null;
        int scanned = 0;
        while (rows.size() < MAX_ROWS && scanned < MAX_SCANNED) {
            List<TraceActivity> page = bus.recentTraces(position, MAX_ROWS);
            for (TraceActivity candidate : page) {
                position = candidate;
                scanned++;
                summaries.summary(candidate.traceId())
                        .filter(s -> wantedStatus == null || s.status().wireName().equals(wantedStatus))
                        .filter(s -> wantedAgent == null || s.agents().stream().anyMatch(a -> a.agentId().equals(wantedAgent)))
                        .map(TraceRow::of)
                        .ifPresent(rows::add);
                if (rows.size() == MAX_ROWS) {
                    break;
                }
            }
            if (page.size() < MAX_ROWS) {
                break;
            }
        }
        rows.sort(ORDER);
        return rows;
    }

    /** The statuses a filter may name, in the order the page offers them. */
    public static List<String> statuses() {
        return List.of(TraceStatus.RUNNING, TraceStatus.STALLED, TraceStatus.FAILED, TraceStatus.COMPLETED).stream()
                .map(TraceStatus::wireName).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
