package io.tracestream.traces;

import io.tracestream.domain.JsonFactories;
import io.tracestream.domain.summary.TraceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dashboard's list of traces, as rows: the page's first rendering, its resync
 * ({@code /ui/list.json}) and each row the list stream sends are made here, so a row cannot read
 * differently depending on which of the three brought it.
 */
@ApplicationScoped
public class TraceRows {

    /** A page for people, not an export: the API pages through everything. */
    public static final int MAX_ROWS = 100;
    /** Bounds the work of one refresh when a filter matches few traces. */
    static final int MAX_SCANNED = 1000;

    private static final Comparator<TraceRow> ORDER = Comparator
            .comparing((TraceRow r) -> !r.active())
            .thenComparing(TraceRow::lastEventAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(TraceRow::traceId);

    @Inject
    TraceList list;
    @Inject
    TraceSummaries summaries;

    /** A row and the fields a list stream's filter compares. */
    public record RowJson(String traceId, TraceStatus status, List<String> agents, String json) {}

    /**
     * Recent traces, the running ones first.
     *
     * @param status wire name, or null/blank for every status; an unknown name matches nothing
     * @param agent  exact agent id, or null/blank for every agent
     */
    public List<TraceRow> find(String status, String agent) {
        return find(status, agent, List.of());
    }

    /**
     * Recent traces within {@code tracePrefixes} (a key's prefixes; empty for every trace), the
     * running ones first.
     */
    public List<TraceRow> find(String status, String agent, List<String> tracePrefixes) {
        String wantedStatus = blankToNull(status);
        if (wantedStatus != null && !statuses().contains(wantedStatus.toLowerCase(Locale.ROOT))) {
            return List.of();
        }
        TraceStatus parsed = wantedStatus == null ? null : TraceStatus.valueOf(wantedStatus.toUpperCase(Locale.ROOT));
        TraceList.Page page = list.find(new TraceList.Query(parsed, blankToNull(agent), Long.MIN_VALUE, null,
                MAX_ROWS, MAX_SCANNED, tracePrefixes));
        return page.traces().stream().map(TraceRow::of).sorted(ORDER).toList();
    }

    /**
     * The trace's row as JSON, for the list streams; empty for a trace that has no events. Read
     * from the summary, brought up to date with what the store has since it was last folded.
     */
    public Optional<RowJson> rowJson(String traceId) {
        return summaries.summary(traceId).map(TraceRow::of).map(row -> {
            StringWriter out = new StringWriter();
            try (JsonGenerator g = JsonFactories.generator(out)) {
                row.writeJson(g);
            }
            return new RowJson(row.traceId(), row.status(), row.agents(), out.toString());
        });
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
