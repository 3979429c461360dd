package io.tracestream.ingest.otlp;

import static io.tracestream.ingest.otlp.Otlp.TRACE;
import static io.tracestream.ingest.otlp.Otlp.attr;
import static io.tracestream.ingest.otlp.Otlp.bytes;
import static io.tracestream.ingest.otlp.Otlp.events;
import static io.tracestream.ingest.otlp.Otlp.map;
import static io.tracestream.ingest.otlp.Otlp.num;
import static io.tracestream.ingest.otlp.Otlp.span;
import static io.tracestream.ingest.otlp.Otlp.spanId;
import static io.tracestream.ingest.otlp.Otlp.str;
import static io.tracestream.ingest.otlp.Otlp.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.summary.Step;
import io.tracestream.domain.summary.StepKind;
import io.tracestream.domain.summary.StepOutcome;
import io.tracestream.domain.summary.TraceStatus;
import io.tracestream.domain.summary.TraceSummarizer;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.ingest.EventIngest;
import io.tracestream.ops.ServiceMetrics;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pydantic Logfire's pending spans (the copy of a span sent as it starts): mapped as the real span's
 * start, with its ids and event ids; stored through the real ingest into the real in-memory store,
 * whose dedup keeps each start once, and summarised by the real summarizer.
 */
class PendingSpansTest {

    static final String SPAN_TYPE = "logfire.span_type";
    static final String PENDING = "pending_span";
    /** What Logfire writes as the real parent of a root span. */
    static final String NO_PARENT = "0000000000000000";
    static final int PENDING_ID_OFFSET = 100;
    static final List<String> END_TYPES = List.of("task_completed", "task_failed", "workflow_completed",
            "workflow_failed", "llm_call", "tool_call");

    // A planner agent (the root, span 1) doing research (span 2), in which it asks a model (3) and runs a tool (4).
    private static Span.Builder planner() {
        return span("invoke_agent planner", 1, 0, 0, 10_000)
                .addAttributes(str("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(str("gen_ai.agent.name", "planner"));
    }

    private static Span.Builder research() {
        return span("research", 2, 1, 100, 5_000);
    }

    private static Span.Builder chat(int parent) {
        return span("chat gpt-4o", 3, parent, 200, 4_000)
                .addAttributes(str("gen_ai.operation.name", "chat"))
                .addAttributes(str("gen_ai.request.model", "gpt-4o"));
    }

    private static Span.Builder webSearch() {
        return span("execute_tool web_search", 4, 2, 4_100, 4_900)
                .addAttributes(str("gen_ai.operation.name", "execute_tool"))
                .addAttributes(str("gen_ai.tool.name", "web_search"));
    }

    /**
     * The pending span Logfire's SDK sends as {@code real} starts: the span's name, kind and attributes
     * so far, a span id of its own, the real span as parent, its real parent in
     * {@code logfire.pending_parent_id} (all zeros for a root), starting and ending at the real start.
     */
    private static Span.Builder pendingOf(Span.Builder real) {
        String realParent = real.getParentSpanId().isEmpty() ? NO_PARENT : OtlpIds.hex(real.getParentSpanId());
        int realNumber = Integer.parseInt(OtlpIds.hex(real.getSpanId()).substring(8), 16);
        return real.clone()
                .setSpanId(bytes(spanId(PENDING_ID_OFFSET + realNumber)))
                .setParentSpanId(real.getSpanId())
                .setEndTimeUnixNano(real.getStartTimeUnixNano())
                .addAttributes(str(SPAN_TYPE, PENDING))
                .addAttributes(str("logfire.pending_parent_id", realParent));
    }

    private static List<String> eventIds(List<TraceEvent> events) {
        return events.stream().map(TraceEvent::eventId).toList();
    }

    @Test
    void aPendingRootIsTheStartOfTheWorkflowAndOfItsAgentWithTheRealSpansIdsAndEventIds() {
        List<TraceEvent> pending = events(map(Otlp.request("svc", pendingOf(planner()))));
        List<TraceEvent> real = events(map(Otlp.request("svc", Otlp.ok(planner()))));

        assertEquals(List.of("workflow_started", "agent_called", "task_started"), types(pending));
        assertEquals(eventIds(real.subList(0, 3)), eventIds(pending), "the real span's start events' ids");
        for (TraceEvent e : pending) {
            assertEquals(spanId(1), e.spanId(), e.eventType());
            assertNull(e.parentSpanId(), "a root: " + e.eventType());
            assertEquals("planner", e.agentId());
            assertEquals(Instant.parse("2026-01-01T00:00:00Z"), e.timestamp());
            assertEquals(PENDING, attr(e, SPAN_TYPE), "the run guards read it");
            assertNull(e.status(), "a start has no status");
        }
        assertEquals("invoke_agent planner", pending.get(2).taskId());
    }

    @Test
    void aPendingChildIsItsRealSpansStartUnderItsRealParentAndNothingMore() {
        TraceEvent pending = single(events(map(Otlp.request("svc", pendingOf(research())))));
        TraceEvent realStart = events(map(Otlp.request("svc", Otlp.ok(research())))).get(0);

        assertEquals("task_started", pending.eventType());
        assertEquals(spanId(2), pending.spanId());
        assertEquals(spanId(1), pending.parentSpanId());
        assertEquals(realStart.eventId(), pending.eventId());
        assertEquals(realStart.agentId(), pending.agentId());
        assertEquals(realStart.taskId(), pending.taskId());
        assertEquals(realStart.timestamp(), pending.timestamp());
        Map<String, Object> marked = new LinkedHashMap<>(realStart.attributes());
        marked.put(SPAN_TYPE, PENDING);
        assertEquals(marked, pending.attributes(), "the real start's attributes, marked");
    }

    @Test
    void aPendingChildFindsItsAgentAboveItAsItsRealSpanDoes() {
        List<TraceEvent> mapped = events(map(Otlp.request("svc", pendingOf(planner()), pendingOf(research()))));

        TraceEvent researchStart = mapped.get(mapped.size() - 1);
        assertEquals(spanId(2), researchStart.spanId());
        assertEquals("planner", researchStart.agentId(), "the pending root stands for the real one");
        assertEquals("ancestor", attr(researchStart, "agent_source"));
    }

    @Test
    void thePendingStartsShowTheStepsRunningAndTheRealSpansThenAddOnlyTheirEnds() {
        StoredTrace trace = new StoredTrace();
        trace.export(pendingOf(planner()), pendingOf(research()));

        TraceSummary running = trace.summary();
        assertEquals(TraceStatus.RUNNING, running.status());
        assertEquals(List.of(StepOutcome.OPEN, StepOutcome.OPEN), outcomes(running));
        assertEquals(List.of(spanId(1), spanId(2)), running.steps().stream().map(Step::spanId).toList());

        assertEquals(List.of("task_completed"), trace.export(Otlp.ok(research())));
        assertEquals(List.of("task_completed", "workflow_completed"), trace.export(Otlp.ok(planner())));

        TraceSummary done = trace.summary();
        assertEquals(TraceStatus.COMPLETED, done.status());
        assertEquals(List.of(StepOutcome.COMPLETED, StepOutcome.COMPLETED), outcomes(done), "one step per span");
        assertEquals(List.of("workflow_started", "agent_called", "task_started", "task_started", "task_completed",
                "task_completed", "workflow_completed"), trace.storedTypes(), "each start once");
        assertEquals(List.of(), done.warnings(), "no repeated start, no end without a start");
    }

    @Test
    void aPendingSpanThatArrivesAfterItsRealSpanAddsNothing() {
        StoredTrace trace = new StoredTrace();
        trace.export(Otlp.ok(research()));
        trace.export(Otlp.ok(planner()));
        TraceSummary before = trace.summary();

        assertEquals(List.of(), trace.export(pendingOf(research()), pendingOf(planner())));

        TraceSummary after = trace.summary();
        assertEquals(before.steps(), after.steps());
        assertEquals(TraceStatus.COMPLETED, after.status(), "no start reopens the workflow");
    }

    @Test
    void aPendingSpanAndItsRealSpanInOneExportStoreTheRealSpansEventsOnceInEitherOrder() {
        List<String> realTypes = types(events(map(Otlp.request("svc", Otlp.ok(research())))));

        StoredTrace pendingFirst = new StoredTrace();
        pendingFirst.export(pendingOf(research()), Otlp.ok(research()));
        StoredTrace realFirst = new StoredTrace();
        realFirst.export(Otlp.ok(research()), pendingOf(research()));

        assertEquals(realTypes, pendingFirst.storedTypes());
        assertEquals(realTypes, realFirst.storedTypes());
        assertEquals(List.of(StepOutcome.COMPLETED), outcomes(pendingFirst.summary()));
        assertEquals(List.of(StepOutcome.COMPLETED), outcomes(realFirst.summary()));
    }

    @Test
    void aPendingModelCallToolCallOrHandOffHasNoStartOfItsOwnSinceItsOneEventComesAtItsEnd() {
        Span.Builder handOff = span("handoff", 5, 2, 4_950, 4_960)
                .addAttributes(str("gen_ai.operation.name", "handoff"))
                .addAttributes(str("to_agent", "coder"));
        MappedSpans mapped = map(Otlp.request("svc", pendingOf(chat(2)), pendingOf(webSearch()), pendingOf(handOff)));

        assertEquals(List.of(), events(mapped));
        assertEquals(List.of(), mapped.rejected(), "taken, not refused");
        assertEquals(List.of("workflow_started"), types(events(map(Otlp.request("svc", pendingOf(chat(0)))))),
                "a root model call still starts its workflow");
    }

    @Test
    void aModelCallAndAToolCallUnderAPendingStepAreOneStepEachAndTheStepStaysOpenUntilItsEnd() {
        StoredTrace trace = new StoredTrace();
        trace.export(pendingOf(planner()), pendingOf(research()), pendingOf(chat(2)));
        trace.export(Otlp.ok(chat(2)).addAttributes(num("gen_ai.usage.input_tokens", 10)));
        trace.export(pendingOf(webSearch()));
        trace.export(Otlp.ok(webSearch()));

        TraceSummary summary = trace.summary();
        assertEquals(List.of(StepKind.TASK, StepKind.TASK, StepKind.LLM_CALL, StepKind.TOOL_CALL),
                summary.steps().stream().map(Step::kind).toList());
        assertEquals(List.of(StepOutcome.OPEN, StepOutcome.OPEN, StepOutcome.COMPLETED, StepOutcome.COMPLETED),
                outcomes(summary));
        assertEquals(List.of(1, 1), summary.steps().subList(2, 4).stream().map(Step::parentIndex).toList(),
                "both inside the research step, still running");
    }

    @Test
    void aPendingSpanNeverEnds() {
        List<TraceEvent> mapped = events(map(Otlp.request("svc", pendingOf(Otlp.failed(planner(), "E", "boom")),
                pendingOf(Otlp.ok(research())), pendingOf(chat(2)), pendingOf(webSearch()))));

        assertTrue(mapped.stream().noneMatch(e -> END_TYPES.contains(e.eventType())), types(mapped).toString());
    }

    @Test
    void aPendingSpanWithoutItsRealParentIdIsARoot() {
        Span.Builder unsaid = research().setSpanId(bytes(spanId(PENDING_ID_OFFSET + 2))).setParentSpanId(bytes(spanId(2)))
                .setEndTimeUnixNano(research().getStartTimeUnixNano()).addAttributes(str(SPAN_TYPE, PENDING));

        TraceEvent start = events(map(Otlp.request("svc", unsaid))).get(0);

        assertEquals("workflow_started", start.eventType());
        assertEquals(spanId(2), start.spanId());
        assertNull(start.parentSpanId());
    }

    @Test
    void aPendingSpanThatNamesNoRealSpanOrAMalformedRealParentIsRejected() {
        Span.Builder noRealSpan = pendingOf(research()).clearParentSpanId();
        Span.Builder badParent = research().setSpanId(bytes(spanId(PENDING_ID_OFFSET + 2)))
                .setParentSpanId(bytes(spanId(2))).setEndTimeUnixNano(research().getStartTimeUnixNano())
                .addAttributes(str(SPAN_TYPE, PENDING)).addAttributes(str("logfire.pending_parent_id", "not-a-span-id"));

        MappedSpans mapped = map(Otlp.request("svc", noRealSpan, badParent, Otlp.ok(webSearch())));

        assertEquals(List.of("tool_call"), types(events(mapped)));
        assertEquals(List.of("a pending span (logfire.span_type pending_span) must name its real span as parent_span_id",
                "logfire.pending_parent_id must be 16 hex characters, got \"not-a-span-id\""),
                mapped.rejected().stream().map(RejectedSpan::reason).toList());
    }

    private static TraceEvent single(List<TraceEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.get(0);
    }

    /** The outcomes of the reported steps (not of placeholders for parents never exported). */
    private static List<StepOutcome> outcomes(TraceSummary summary) {
        return summary.steps().stream().filter(s -> !s.placeholder()).map(Step::outcome).toList();
    }

    /**
     * One trace, exported span by span through the real ingest into the real in-memory store (whose
     * dedup keeps an event id once), and summarised from what was stored, as every reader does.
     */
    private static final class StoredTrace {
        private final MemoryEventStore store = new MemoryEventStore(1_000, Duration.ofHours(1), Duration.ofMinutes(10),
                Clock.systemUTC());
        private final EventIngest ingest = EventIngest.of(store, new Uncounted(), Clock.systemUTC());

        /** Exports the spans in one request; the types of the events it added to the history. */
        List<String> export(Span.Builder... spans) {
            int before = stored().size();
            MappedSpans mapped = map(Otlp.request("svc", spans));
            assertEquals(List.of(), mapped.rejected());
            ingest.ingestSpans(mapped.eventsByTrace(), mapped.acceptedSpans(), mapped.rejected().size());
            List<TraceEvent> all = stored();
            return types(all.subList(before, all.size()));
        }

        List<TraceEvent> stored() {
            return store.read(TRACE, null, 1_000).stream().map(StoredEvent::json).map(TraceEventJson::readStored).toList();
        }

        List<String> storedTypes() {
            return types(stored());
        }

        TraceSummary summary() {
            TraceSummarizer summarizer = new TraceSummarizer();
            stored().forEach(summarizer::apply);
            return summarizer.snapshot(Instant.parse("2026-01-01T00:00:30Z"));
        }
    }

    /** The service's counters, which need the server's metric registry: not what these tests look at. */
    private static final class Uncounted extends ServiceMetrics {
        @Override
        public void ingested(long events) {}

        @Override
        public void redacted(long secrets) {}

        @Override
        public void rejected(String reason, long events) {}

        @Override
        public void otlpSpans(long accepted, long rejectedSpans) {}
    }
}
