package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.SpanExport.Kind.AGENT;
import static io.tracestream.domain.summary.SpanExport.Kind.GENERIC;
import static io.tracestream.domain.summary.SpanExport.Kind.LLM;
import static io.tracestream.domain.summary.SpanExport.Kind.ROOT_AGENT;
import static io.tracestream.domain.summary.SpanExport.Kind.TOOL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.summary.SpanExport.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trace that arrives as OpenTelemetry spans: each span is exported when it ends, so children come
 * before their parents and the root last, in whatever order the exporters send them.
 */
class SpanArrivalOrderTest {

    private static final Span ROOT = Span.of("00000000000000a1", null, ROOT_AGENT, "orchestrator", 0, 10);
    private static final Span RESEARCHER = Span.of("00000000000000b2", ROOT.id(), AGENT, "researcher", 1, 4).failing();
    private static final Span SEARCH = Span.of("00000000000000c3", RESEARCHER.id(), TOOL, "web_search", 2, 3.5).failing();
    private static final Span WRITER = Span.of("00000000000000d4", ROOT.id(), AGENT, "writer", 4.5, 9);
    /** Starts at the same instant as its parent, the writer, and its span id sorts before the writer's. */
    private static final Span DRAFT = Span.of("0000000000000015", WRITER.id(), GENERIC, "draft", 4.5, 8.5);
    private static final Span DRAFT_LLM = Span.of("00000000000000f6", DRAFT.id(), LLM, "gpt-4o", 5, 8).tokens(1200, 300);
    private static final List<Span> SPANS = List.of(ROOT, RESEARCHER, SEARCH, WRITER, DRAFT, DRAFT_LLM);
    /** As SDKs export them: each span when it ends, so children first and the root last. */
    private static final List<Span> AS_EXPORTED = List.of(SEARCH, RESEARCHER, DRAFT_LLM, DRAFT, WRITER, ROOT);
    private static final Instant NOW = SpanExport.T0.plusSeconds(60);

    @Test
    void everyArrivalOrderOfTheSpansGivesTheSameFinalSummary() {
        TraceSummary reference = summaryOf(List.of(SPANS));
        String expected = TraceSummaryJson.write(reference);
        String expectedDiagram = SequenceDiagram.render(reference);
        List<List<Span>> orders = permutations(SPANS);

        assertEquals(720, orders.size());
        for (List<Span> order : orders) {
            TraceSummarizer live = new TraceSummarizer();
            List<TraceEvent> stored = SpanExport.stored(eventsSpanBySpan(order));
            int next = 0;
            for (Span span : order) {
                // One export per span, with a snapshot after each, as a live dashboard reads it.
                int count = SpanExport.eventsOf(List.of(span)).size();
                stored.subList(next, next + count).forEach(live::apply);
                next += count;
                live.snapshot(NOW);
            }
            TraceSummary last = live.snapshot(NOW);
            assertEquals(expected, TraceSummaryJson.write(last), "arrival order " + names(order));
            assertEquals(expectedDiagram, SequenceDiagram.render(last), "arrival order " + names(order));
        }
    }

    @Test
    void whileSpansArriveTheSummaryDependsOnlyOnWhichHaveArrivedNotOnTheirOrder() {
        // 63 sets of spans that can have arrived, each summarized once, the spans sent in id order. The
        // summaries are compared whole, interactions (the diagram's input) included.
        Map<String, TraceSummary> expectedByArrived = new HashMap<>();
        for (List<Span> order : permutations(SPANS)) {
            TraceSummarizer live = new TraceSummarizer();
            List<TraceEvent> stored = SpanExport.stored(eventsSpanBySpan(order));
            List<Span> arrived = new ArrayList<>();
            int next = 0;
            for (Span span : order) {
                int count = SpanExport.eventsOf(List.of(span)).size();
                stored.subList(next, next + count).forEach(live::apply);
                next += count;
                arrived.add(span);
                List<Span> byId = arrived.stream().sorted(Comparator.comparing(Span::id)).toList();
                TraceSummary expected = expectedByArrived.computeIfAbsent(names(byId).toString(),
                        k -> summaryOfSpansOneByOne(byId));
                assertEquals(expected, live.snapshot(NOW), "after " + names(arrived));
            }
        }
        assertEquals(63, expectedByArrived.size());
    }

    @Test
    void oneExportOrOneExportPerSpanGiveTheSameSummary() {
        // In one export the mapper knows every ancestor (agent_source ancestor, caller_agent set); span by
        // span it knows none (agent_source service, the service's name standing in for the agent).
        TraceSummary together = summaryOf(List.of(SPANS));
        TraceSummary apart = summaryOfSpansOneByOne(AS_EXPORTED);

        assertEquals(TraceSummaryJson.write(together), TraceSummaryJson.write(apart));
    }

    @Test
    void finalSummaryHasTheWholeTreeItsAgentsCallsUsageAndFirstFailure() {
        TraceSummary s = summaryOfSpansOneByOne(AS_EXPORTED);

        assertEquals(TraceStatus.COMPLETED, s.status());
        assertEquals(List.of(
                "0 task orchestrator-task orchestrator parent=- completed",
                "1 task researcher-task researcher parent=0 failed",
                "2 tool_call web_search researcher parent=1 failed",
                "3 task writer-task writer parent=0 completed",
                "4 task draft-task writer parent=3 completed",
                "5 llm_call gpt-4o writer parent=4 completed"),
                describe(s.steps()));
        assertEquals(List.of("orchestrator", "researcher", "writer"),
                s.agents().stream().map(AgentSummary::agentId).toList());
        assertEquals(List.of("orchestrator->researcher x1", "orchestrator->writer x1"), edges(s));
        assertEquals(List.of("writer"), List.copyOf(s.usage().byAgent().keySet()));
        assertEquals(1200, s.usage().byAgent().get("writer").inputTokens());
        Failures.FirstFailure first = s.failures().firstFailure();
        assertEquals("web_search", first.step().name());
        assertEquals(List.of("orchestrator", "researcher"), first.callerChain().stream().map(Step::agentId).toList());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void childThatArrivesBeforeItsParentSitsUnderAnOpenPlaceholderForTheParentSpan() {
        TraceSummary s = summaryOfSpansOneByOne(List.of(SEARCH));

        assertEquals(List.of(
                "0 tool_call web_search research-app parent=1 failed",
                "1 task null null parent=- open"),
                describe(s.steps()));
        Step placeholder = s.steps().get(1);
        assertTrue(placeholder.placeholder());
        assertFalse(s.steps().get(0).placeholder());
        assertEquals(RESEARCHER.id(), placeholder.spanId());
        assertEquals(SEARCH.start(), placeholder.startedAt());
        assertEquals(SEARCH.start(), s.startedAt());
        assertNull(placeholder.endedAt());
        assertTrue(placeholder.startInferred());
        assertEquals(List.of(SpanExport.SERVICE), s.agents().stream().map(AgentSummary::agentId).toList());
        assertEquals(List.of(SpanExport.SERVICE), s.graph().nodes().stream().map(DependencyGraph.Node::agentId).toList());
        assertEquals(List.of("1 null", "0 research-app"), s.criticalPath().steps().stream()
                .map(e -> e.stepIndex() + " " + e.agentId()).toList());
        assertEquals(List.of("1 null"), s.failures().firstFailure().callerChain().stream()
                .map(c -> c.index() + " " + c.agentId()).toList());
    }

    @Test
    void parentArrivingReplacesItsPlaceholderAndTakesItsChildrenBack() {
        TraceSummary s = summaryOfSpansOneByOne(List.of(SEARCH, RESEARCHER));

        assertEquals(List.of(
                "0 task researcher-task researcher parent=2 failed",
                "1 tool_call web_search researcher parent=0 failed",
                "2 task null null parent=- open"),
                describe(s.steps()), "the researcher's own span begins in the root: that says nothing of whose the root is");
        assertEquals(ROOT.id(), s.steps().get(2).spanId());
        assertEquals(RESEARCHER.start(), s.steps().get(2).startedAt());
        assertEquals(List.of("researcher"), s.agents().stream().map(AgentSummary::agentId).toList());
    }

    @Test
    void standInServiceCountsAsTheNearestAgentAncestorOnceThatArrives() {
        TraceSummary onlyTheCall = summaryOfSpansOneByOne(List.of(DRAFT_LLM, DRAFT));
        TraceSummary withItsAgent = summaryOfSpansOneByOne(List.of(DRAFT_LLM, DRAFT, WRITER));

        assertEquals(List.of(SpanExport.SERVICE), List.copyOf(onlyTheCall.usage().byAgent().keySet()));
        assertEquals(List.of(SpanExport.SERVICE), onlyTheCall.agents().stream().map(AgentSummary::agentId).toList());
        assertEquals(List.of("writer"), List.copyOf(withItsAgent.usage().byAgent().keySet()));
        assertEquals(List.of("writer"), withItsAgent.agents().stream().map(AgentSummary::agentId).toList());
        assertEquals(1, withItsAgent.agents().get(0).llmCalls());
        assertEquals(List.of(
                "0 task writer-task writer parent=3 completed",
                "1 task draft-task writer parent=0 completed",
                "2 llm_call gpt-4o writer parent=1 completed",
                "3 task null null parent=- open"),
                describe(withItsAgent.steps()));
    }

    @Test
    void graphShowsACallOnlyOnceItsCallerIsKnown() {
        TraceSummary calleeAlone = summaryOfSpansOneByOne(List.of(WRITER));
        TraceSummary withCaller = summaryOfSpansOneByOne(List.of(WRITER, ROOT));

        assertEquals(List.of(), edges(calleeAlone));
        assertEquals(List.of("writer"), calleeAlone.graph().nodes().stream().map(DependencyGraph.Node::agentId).toList());
        assertEquals(List.of("orchestrator->writer x1"), edges(withCaller));
        assertEquals(2, withCaller.graph().depth());
    }

    @Test
    void placeholderIsWrittenAsAnOpenTaskWithNoAgent() {
        String json = TraceSummaryJson.write(summaryOfSpansOneByOne(List.of(SEARCH)));

        assertTrue(json.contains("\"index\":1,\"kind\":\"task\",\"name\":null,\"agent_id\":null,\"span_id\":\""
                + RESEARCHER.id() + "\""), json);
        assertTrue(json.contains("\"outcome\":\"open\",\"error\":null,\"model\":null,\"start_inferred\":true,"
                + "\"placeholder\":true,\"plumbing\":null}"), json);
        assertTrue(json.contains("\"start_inferred\":false,\"placeholder\":false,\"plumbing\":null}"), json);
    }

    @Test
    void agentThatFailsJustAfterItsLastChildSucceededIsFailedThoughItsClockStampsTheChildLater() {
        // As the OpenTelemetry JavaScript SDK stamps them (start in whole milliseconds, end as start
        // plus duration): the chart tool ends 50 us before the writer throws, stamped 0.6 ms after it.
        Span writer = Span.of("00000000000000d4", ROOT.id(), AGENT, "writer", 4.5, 9).failing();
        Span chart = Span.of("00000000000000e5", writer.id(), TOOL, "render_chart", 8.5006, 9.0006);
        Span call = Span.of("00000000000000f6", writer.id(), LLM, "gpt-4o", 5.0004, 8.4).tokens(2000, 600);

        for (List<Span> order : permutations(List.of(ROOT, writer, chart, call))) {
            TraceSummary s = summaryOfSpansOneByOne(order);
            AgentSummary agent = s.agents().stream().filter(a -> a.agentId().equals("writer")).findFirst().orElseThrow();
            assertEquals(AgentState.FAILED, agent.state(), "arrival order " + names(order));
        }
    }

    @Test
    void modelCallThatFailedItsAgentIsTheFirstFailureThoughItsClockStampsItAfterTheAgent() {
        // The writer's model call throws and the writer fails of it 80 us later; as the JavaScript
        // SDK stamps them, the call ends 0.5 ms after the writer.
        Span writer = Span.of("00000000000000d4", ROOT.id(), AGENT, "writer", 4.5, 9).failing();
        Span call = Span.of("00000000000000f6", writer.id(), LLM, "gpt-4o", 5.0004, 9.0005).failing();

        for (List<Span> order : permutations(List.of(ROOT, writer, call))) {
            Failures.FirstFailure first = summaryOfSpansOneByOne(order).failures().firstFailure();
            assertEquals("llm_call gpt-4o", first.step().kind().wireName() + " " + first.step().name(),
                    "arrival order " + names(order));
            assertEquals(List.of("orchestrator", "writer"), first.callerChain().stream().map(Step::agentId).toList());
        }
    }

    @Test
    void childThatEndsAtTheSameInstantAsItsParentClosesBeforeIt() {
        Span writer = Span.of("00000000000000d4", ROOT.id(), AGENT, "writer", 4.5, 9).failing();
        // Its span id sorts after the writer's, so only the nesting can put it first.
        Span chart = Span.of("00000000000000e5", writer.id(), TOOL, "render_chart", 8.5, 9);

        for (List<Span> order : permutations(List.of(ROOT, writer, chart))) {
            TraceSummary s = summaryOfSpansOneByOne(order);
            assertEquals(List.of(
                    "0 task orchestrator-task orchestrator parent=- completed",
                    "1 task writer-task writer parent=0 failed",
                    "2 tool_call render_chart writer parent=1 completed"),
                    describe(s.steps()), "arrival order " + names(order));
            AgentSummary agent = s.agents().stream().filter(a -> a.agentId().equals("writer")).findFirst().orElseThrow();
            assertEquals(AgentState.FAILED, agent.state(), "arrival order " + names(order));
        }
    }

    @Test
    void taskStampedBeforeItsParentStartedIsFoldedInsideItsParentWithItsCallerAndReturn() {
        // The writer's clock runs 4 s behind the orchestrator's: its span ends before its parent's
        // starts. It is folded as the span tree says: after its parent opened.
        Span early = Span.of(WRITER.id(), ROOT.id(), AGENT, "writer", -3, -1);
        TraceSummary s = summaryOfSpansOneByOne(List.of(early, ROOT));

        assertEquals(List.of("orchestrator->writer x1"), edges(s));
        assertEquals(List.of("0 task orchestrator-task orchestrator parent=- completed",
                        "1 task writer-task writer parent=0 completed"),
                describe(s.steps()));
        assertTrue(s.interactions().stream().anyMatch(i -> i.kind() == Interaction.Kind.RETURN
                && i.from().equals("writer") && i.to().equals("orchestrator")));
    }

    @Test
    void spansThatAreEachOthersParentNeitherLoopNorDependOnArrivalOrder() {
        Span x = Span.of("0000000000000001", "0000000000000002", GENERIC, "x", 1, 2);
        Span y = Span.of("0000000000000002", "0000000000000001", GENERIC, "y", 1, 2);
        Span z = Span.of("0000000000000003", "0000000000000001", LLM, "gpt-4o", 1, 2);
        List<List<Span>> orders = permutations(List.of(x, y, z));
        String expected = TraceSummaryJson.write(summaryOfSpansOneByOne(orders.get(0)));

        for (List<Span> order : orders) {
            assertEquals(expected, TraceSummaryJson.write(summaryOfSpansOneByOne(order)), names(order).toString());
        }
    }

    @Test
    void outOfOrderSpansAreFoldedAgainOnceAtTheNextSnapshotNotOncePerEvent() {
        TraceSummarizer summarizer = new TraceSummarizer();
        SpanExport.stored(eventsSpanBySpan(AS_EXPORTED)).forEach(summarizer::apply);

        assertEquals(0, summarizer.refolds());
        summarizer.snapshot(NOW);
        summarizer.snapshot(NOW);
        assertEquals(1, summarizer.refolds());
        assertEquals(SpanExport.eventsOf(SPANS).size(), summarizer.keptEvents());
    }

    @Test
    void spanEventsArrivingInTheOrderTheyHappenedAreFoldedAsTheyComeWithoutRefolding() {
        List<TraceEvent> inTimeOrder = SpanExport.eventsOf(SPANS).stream()
                .sorted(Comparator.comparing(TraceEvent::timestamp)).toList();
        TraceSummarizer summarizer = new TraceSummarizer();
        for (TraceEvent e : SpanExport.stored(inTimeOrder)) {
            summarizer.apply(e);
            summarizer.snapshot(NOW);
        }

        assertEquals(0, summarizer.refolds());
        assertEquals(TraceSummaryJson.write(summaryOf(List.of(SPANS))), TraceSummaryJson.write(summarizer.snapshot(NOW)));
    }

    @Test
    void eventsOfOurOwnProducersAreFoldedInStoredOrderAndNotKept() {
        TraceSummarizer summarizer = CodeAnalysisFixture.summarizerOf(CodeAnalysisFixture.events(), CodeAnalysisFixture.PRICES);
        summarizer.snapshot(CodeAnalysisFixture.MUCH_LATER);

        assertEquals(0, summarizer.keptEvents());
        assertEquals(0, summarizer.refolds());
    }

    @Test
    void eventsOfOurOwnProducersAreNotReorderedByTheirTimestamps() {
        // The worker's clock is behind: its end is stamped before its start. Stored order still pairs them.
        TraceSummary s = TestEvent.summarize(TestEvent.second(10),
                TestEvent.at(5, "task_started", "worker").task("t").build(),
                TestEvent.at(4, "task_completed", "worker").task("t").build());

        assertEquals(List.of("0 task t worker parent=- completed"), describe(s.steps()));
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void lastEventIdIsTheLastStoredEventEvenWhenItIsFoldedEarlier() {
        List<TraceEvent> stored = SpanExport.stored(eventsSpanBySpan(AS_EXPORTED));
        TraceSummarizer summarizer = new TraceSummarizer();
        stored.forEach(summarizer::apply);

        assertEquals(stored.get(stored.size() - 1).id(), summarizer.snapshot(NOW).lastEventId());
    }

    /** Applies each list of spans as one export, in the order given, and takes one snapshot at the end. */
    private static TraceSummary summaryOf(List<List<Span>> exports) {
        List<TraceEvent> events = new ArrayList<>();
        exports.forEach(export -> events.addAll(SpanExport.eventsOf(export)));
        TraceSummarizer summarizer = new TraceSummarizer();
        SpanExport.stored(events).forEach(summarizer::apply);
        return summarizer.snapshot(NOW);
    }

    private static TraceSummary summaryOfSpansOneByOne(List<Span> spans) {
        return summaryOf(spans.stream().map(List::of).toList());
    }

    private static List<TraceEvent> eventsSpanBySpan(List<Span> order) {
        List<TraceEvent> events = new ArrayList<>();
        order.forEach(span -> events.addAll(SpanExport.eventsOf(List.of(span))));
        return events;
    }

    private static List<List<Span>> permutations(List<Span> spans) {
        if (spans.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Span>> all = new ArrayList<>();
        for (Span first : spans) {
            List<Span> rest = new ArrayList<>(spans);
            rest.remove(first);
            for (List<Span> tail : permutations(rest)) {
                List<Span> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    private static List<String> names(List<Span> spans) {
        return spans.stream().map(s -> s.name()).toList();
    }

    private static List<String> describe(List<Step> steps) {
        return steps.stream().map(s -> s.index() + " " + s.kind().wireName() + " " + s.name() + " " + s.agentId()
                + " parent=" + (s.parentIndex() == null ? "-" : s.parentIndex()) + " " + s.outcome().wireName()).toList();
    }

    private static List<String> edges(TraceSummary s) {
        return s.graph().edges().stream().map(e -> e.from() + "->" + e.to() + " x" + e.count()).toList();
    }
}
