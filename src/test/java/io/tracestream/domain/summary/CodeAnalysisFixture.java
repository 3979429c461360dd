package io.tracestream.domain.summary;

import io.tracestream.domain.FieldError;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo workflow shipped at {@value #RESOURCE}: code_analyzer asks planner to plan a review;
 * planner fans out to code_reader, strategy_writer and backtester; backtester's first attempt
 * fails on missing price data and is retried; code_analyzer then hands off to report_writer.
 */
final class CodeAnalysisFixture {

    static final String RESOURCE = "/io/tracestream/demo/code-analysis-workflow.json";
    static final String TRACE_ID = "code-analysis-demo";
    static final Instant STARTED_AT = Instant.parse("2025-01-20T10:30:45Z");
    static final Instant ENDED_AT = Instant.parse("2025-01-20T10:32:15Z");
    /** Prices of every model the fixture uses, USD per million tokens. */
    static final PriceTable PRICES = PriceTable.parse("gpt-4o=2.50/10.00,gpt-4o-mini=0.15/0.60,claude-3-5-sonnet=3/15");
    /** Long after the end: a snapshot's {@code now} must not change a finished trace. */
    static final Instant MUCH_LATER = ENDED_AT.plus(Duration.ofDays(1));

    private CodeAnalysisFixture() {}

    /** The fixture's events in trace order, each with a store id as the store would give: 1-0, 2-0... */
    static List<TraceEvent> events() {
        try (InputStream in = CodeAnalysisFixture.class.getResourceAsStream(RESOURCE);
             JsonReader reader = Json.createReader(in)) {
            JsonArray array = reader.readArray();
            List<FieldError> errors = new ArrayList<>();
            List<TraceEvent> events = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                TraceEvent e = TraceEventJson.read(array.get(i), "[" + i + "]", errors);
                events.add(e == null ? null : e.withId((i + 1) + "-0"));
            }
            if (!errors.isEmpty()) {
                throw new IllegalStateException("fixture is not valid: " + errors);
            }
            return List.copyOf(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TraceSummarizer summarizerOf(List<TraceEvent> events, PriceTable prices) {
        TraceSummarizer summarizer = new TraceSummarizer(prices, TraceSummarizer.DEFAULT_STALL_AFTER);
        events.forEach(summarizer::apply);
        return summarizer;
    }

    /** The whole workflow, priced with {@link #PRICES}. */
    static TraceSummary summary() {
        return summarizerOf(events(), PRICES).snapshot(MUCH_LATER);
    }
}
