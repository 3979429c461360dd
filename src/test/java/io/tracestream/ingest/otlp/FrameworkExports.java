package io.tracestream.ingest.otlp;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.AgentSummary;
import io.tracestream.domain.summary.PriceTable;
import io.tracestream.domain.summary.Step;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What real agent frameworks exported in one run each, recorded as they arrived at the receiver
 * (one OTLP/JSON request per line, in arrival order; {@code src/test/frameworks/} has the programs,
 * run unmodified against a fake model: AgentFrameworksIT runs them live). Replayed here through the
 * mapper and the summary, request by request, as a live trace grows.
 */
final class FrameworkExports {

    private final List<String> requests;
    private final OtlpSpanMapper mapper = new OtlpSpanMapper(TraceIdMode.TRACE);
    private final TraceSummarizer summarizer = new TraceSummarizer(PriceTable.withBundledPrices(""), Duration.ofMinutes(5));
    private final List<TraceEvent> stored = new ArrayList<>();
    private int applied;

    private FrameworkExports(List<String> requests) {
        this.requests = requests;
    }

    /** @param name {@code langgraph}, {@code mastra}, {@code openai-agents} */
    static FrameworkExports of(String name) {
        String resource = "frameworks/" + name + ".otlp.jsonl";
        try (InputStream in = FrameworkExports.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded exports " + resource);
            }
            return new FrameworkExports(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int requestCount() {
        return requests.size();
    }

    /** Stores the next {@code n} requests' events, as the receiver would. */
    FrameworkExports receive(int n) {
        for (int i = 0; i < n; i++) {
            try {
                MappedSpans mapped = mapper.map(ExportRequestDecoder.fromJson(requests.get(applied++).getBytes(StandardCharsets.UTF_8)));
                if (!mapped.rejected().isEmpty()) {
                    throw new AssertionError("rejected: " + mapped.errorMessage());
                }
                mapped.eventsByTrace().values().forEach(events -> events.forEach(e -> {
                    TraceEvent withId = e.withId((stored.size() + 1) + "-0");
                    stored.add(withId);
                    summarizer.apply(withId);
                }));
            } catch (OtlpDecodingException e) {
                throw new AssertionError(e);
            }
        }
        return this;
    }

    FrameworkExports receiveAll() {
        return receive(requests.size() - applied);
    }

    /** The summary now; {@code now} only decides durations of what is still open. */
    TraceSummary summary() {
        return summarizer.snapshot(Instant.parse("2030-01-01T00:00:00Z"));
    }

    List<TraceEvent> events() {
        return stored;
    }

    /** Agent to state. */
    static Map<String, String> states(TraceSummary s) {
        return s.agents().stream().collect(Collectors.toMap(AgentSummary::agentId, a -> a.state().wireName(),
                (a, b) -> a, TreeMap::new));
    }

    /** "from->to kind xN", sorted. */
    static List<String> edges(TraceSummary s) {
        return s.graph().edges().stream().map(e -> e.from() + "->" + e.to() + " " + e.kind().wireName() + " x" + e.count())
                .sorted().toList();
    }

    /** Steps that are real work (plumbing folded), as "kind name agent". */
    static List<String> work(TraceSummary s) {
        return s.steps().stream().filter(step -> !step.isPlumbing() && !step.placeholder())
                .map(step -> step.kind().wireName() + " " + step.name() + " " + step.agentId()).toList();
    }

    static Step step(TraceSummary s, int index) {
        return s.steps().get(index);
    }
}
