package io.tracestream.web;

import io.tracestream.domain.JsonFactories;
import io.tracestream.stream.TraceRowSource;
import io.tracestream.stream.TraceSummaries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.Optional;

/**
 * The list page's row of a trace for the API's list stream, written by the same {@link
 * TraceRow#writeJson} as {@code /ui/list.json}, so a streamed row and a resynced one cannot differ.
 */
@ApplicationScoped
public class ListRowJson implements TraceRowSource {

    @Inject
    TraceSummaries summaries;

    @Override
    public Optional<TraceRowJson> row(String traceId) {
        // The cached summary was just brought up to date by the live batch that made this row due.
        return summaries.cachedSummary(traceId).map(TraceRow::of).map(row -> {
            StringWriter out = new StringWriter();
            try (JsonGenerator g = JsonFactories.generator(out)) {
                row.writeJson(g);
            }
            return new TraceRowJson(row.traceId(), row.status(), row.agents(), out.toString());
        });
    }
}
