package io.tracestream.domain.summary;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.SpanExport.Kind;
import io.tracestream.domain.summary.SpanExport.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What keeping a span trace's summary current costs, measured the way the summary cache uses it:
 * {@code apply} per stored event, {@code snapshot} after each export. Not a test (no assertions,
 * not run by surefire); run it by hand after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes:<jakarta.json-api and parsson jars>
 * io.tracestream.domain.summary.SpanArrivalCost [agents] [spans per export]}.
 *
 * <p>The trace: a root agent calling {@code agents} agents one after another, each making four LLM
 * and three tool calls (10 events and 8 spans per agent, 300 agents = 3,005 events).
 */
public final class SpanArrivalCost {

    private static final int WARM_UP = 3;
    private static final int RUNS = 7;

    private SpanArrivalCost() {}

    public static void main(String[] args) {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int spansPerExport = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Span> spans = trace(agents);
        List<Span> byEnd = spans.stream().sorted(Comparator.comparing(Span::endSecond)
                .thenComparing(Span::startSecond, Comparator.reverseOrder())).toList();
        List<Span> byStart = spans.stream().sorted(Comparator.comparing(Span::startSecond)).toList();
        List<List<TraceEvent>> childrenFirst = exports(byEnd, spansPerExport);
        List<List<TraceEvent>> inTimeOrder = exportsInTimeOrder(byStart, spansPerExport);
        int events = childrenFirst.stream().mapToInt(List::size).sum();
        System.out.printf("%d spans, %d events, %d exports of %d spans%n", spans.size(), events, childrenFirst.size(),
                spansPerExport);
        measure("children first (as SDKs export)", childrenFirst);
        measure("in time order (no refold)", inTimeOrder);
        measure("our producers' events in time order", withoutAgentSource(inTimeOrder));
    }

    private static void measure(String name, List<List<TraceEvent>> exports) {
        long[] nanos = new long[RUNS];
        int refolds = 0;
        for (int run = -WARM_UP; run < RUNS; run++) {
            long start = System.nanoTime();
            TraceSummarizer summarizer = new TraceSummarizer();
            int stored = 0;
            Instant now = SpanExport.T0;
            for (List<TraceEvent> export : exports) {
                for (TraceEvent e : export) {
                    summarizer.apply(e.withId(++stored + "-0"));
                }
                summarizer.snapshot(now);
            }
            if (run >= 0) {
                nanos[run] = System.nanoTime() - start;
                refolds = summarizer.refolds();
            }
        }
        java.util.Arrays.sort(nanos);
        System.out.printf("%-40s median %6.1f ms (min %6.1f, max %6.1f), %d refolds%n", name, nanos[RUNS / 2] / 1e6,
                nanos[0] / 1e6, nanos[RUNS - 1] / 1e6, refolds);
    }

    private static List<Span> trace(int agents) {
        List<Span> spans = new ArrayList<>();
        Span root = Span.of(id(0), null, Kind.ROOT_AGENT, "orchestrator", 0, agents * 10 + 1);
        spans.add(root);
        for (int a = 0; a < agents; a++) {
            double t = a * 10 + 0.5;
            String agentId = id(a * 10 + 1);
            spans.add(Span.of(agentId, root.id(), Kind.AGENT, "agent-" + a, t, t + 9));
            for (int c = 0; c < 7; c++) {
                Kind kind = c % 2 == 0 ? Kind.LLM : Kind.TOOL;
                Span call = Span.of(id(a * 10 + 2 + c), agentId, kind, kind == Kind.LLM ? "gpt-4o" : "search",
                        t + 0.2 + c, t + 1 + c);
                spans.add(kind == Kind.LLM ? call.tokens(1000, 200) : call);
            }
        }
        return spans;
    }

    private static List<List<TraceEvent>> exports(List<Span> order, int spansPerExport) {
        List<List<TraceEvent>> exports = new ArrayList<>();
        for (int i = 0; i < order.size(); i += spansPerExport) {
            exports.add(SpanExport.eventsOf(order.subList(i, Math.min(order.size(), i + spansPerExport))));
        }
        return exports;
    }

    /** The same spans' events cut into exports of the same size, but every event in time order. */
    private static List<List<TraceEvent>> exportsInTimeOrder(List<Span> byStart, int spansPerExport) {
        List<TraceEvent> all = SpanExport.eventsOf(byStart).stream()
                .sorted(Comparator.comparing(TraceEvent::timestamp)).toList();
        int perExport = Math.max(1, all.size() * spansPerExport / byStart.size());
        List<List<TraceEvent>> exports = new ArrayList<>();
        for (int i = 0; i < all.size(); i += perExport) {
            exports.add(all.subList(i, Math.min(all.size(), i + perExport)));
        }
        return exports;
    }

    private static List<List<TraceEvent>> withoutAgentSource(List<List<TraceEvent>> exports) {
        return exports.stream().map(export -> export.stream().map(e -> {
            Map<String, Object> attributes = new LinkedHashMap<>(e.attributes());
            attributes.remove(AgentSource.ATTRIBUTE);
            return new TraceEvent(e.id(), e.traceId(), e.eventType(), e.agentId(), e.timestamp(), e.spanId(),
                    e.parentSpanId(), e.taskId(), e.status(), e.durationMs(), e.error(), e.model(), e.inputTokens(),
                    e.outputTokens(), e.costUsd(), e.eventId(), attributes);
        }).toList()).toList();
    }

    private static String id(int n) {
        return String.format("%016x", n + 1);
    }
}
