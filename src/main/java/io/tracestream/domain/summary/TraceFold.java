package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TraceSummarizer.ATTR_CALLER;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_AGENT_RUN;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_CONTENT;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_ENTERED_BY;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_FROM;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_MESSAGE;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_PLUMBING;
import static io.tracestream.domain.summary.TraceSummarizer.ENTERED_BY_HANDOFF;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_REASON;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_TO;
import static io.tracestream.domain.summary.TraceSummarizer.ATTR_TOOL;
import static io.tracestream.domain.summary.TraceSummarizer.MAX_WARNINGS;
import static io.tracestream.domain.summary.TraceSummarizer.UNKNOWN_AGENT;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.summary.DependencyGraph.EdgeKind;
import io.tracestream.domain.summary.Failures.FirstFailure;
import io.tracestream.domain.summary.Interaction.Kind;
import io.tracestream.domain.summary.StepTracker.NewStep;
import io.tracestream.domain.summary.StepTracker.TrackedStep;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Folds events into a trace's state in the order given, by the rules listed on
 * {@link TraceSummarizer}, which decides that order. Not thread-safe. Never throws on odd input;
 * what it had to guess is in {@link TraceSummary#warnings()}.
 *
 * <p>What is known about spans that are not folded yet (or never will be) comes from the
 * {@link SpanDirectory} it is given: the caller of a task whose parent span is folded later, and
 * the agent of an event that named the service as a stand-in ({@link AgentSource#SERVICE}).
 */
final class TraceFold {

    private static final Set<String> FAILED_CALL_STATUSES = Set.of("failed", "error");
    /** The {@code plumbing} of a task that repeats the one around it ({@link #plumbingOf}). */
    static final String REPEATED_TASK = "repeated";
    /** Looked up once per event: {@link EventType#fromWireName} lower-cases every name it tries. */
    private static final Map<String, EventType> TYPES = Arrays.stream(EventType.values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, t -> t));

    private final Duration stallAfter;
    private final SpanDirectory spans;
    private final UsageLedger usage;
    private final StepTracker steps = new StepTracker();
    private final CallGraphBuilder graph = new CallGraphBuilder();
    private final Map<String, AgentTally> agents = new LinkedHashMap<>();
    private final Map<String, Long> eventCounts = new TreeMap<>();
    private final Map<String, String> callerByCalleeSpan = new HashMap<>();
    /** Agents handed work they have not started on yet: receiver to sender. */
    private final Map<String, String> pendingHandOffs = new HashMap<>();
    /** Spans of work an agent got by a hand-off ({@code agent_called} said so, or it followed one). */
    private final Set<String> handedOverSpans = new HashSet<>();
    /** Spans that an {@code agent_called} announced: where an agent's work begins. */
    private final Set<String> calledSpans = new HashSet<>();
    /** When the first hand-off under each span began: a model call that asked for one had answered by then. */
    private final Map<String, Instant> handOffsUnder = new HashMap<>();
    /** Hand-offs in fold order: when, and to whom. */
    private final List<HandOff> handOffs = new ArrayList<>();

    private record HandOff(Instant at, String to) {}
    private final List<Interaction> interactions = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private String traceId;
    private long eventCount;
    private Instant startedAt;
    private Instant lastEventAt;
    private Instant endedAt;
    private TraceStatus workflowStatus = TraceStatus.RUNNING;
    private EventError workflowError;
    private String rootAgent;

    /** @param spans every span known when the fold is read, kept up to date by the caller */
    TraceFold(PriceTable prices, Duration stallAfter, SpanDirectory spans) {
        this.usage = new UsageLedger(prices);
        this.stallAfter = stallAfter;
        this.spans = spans;
    }

    /** Folds in the next event. */
    void apply(TraceEvent reported) {
        TraceEvent e = attributed(reported);
        // Still the service standing in: its agent is not known yet (stand-ins worked out above are real agents).
        boolean standIn = e == reported && AgentSource.isStandIn(reported);
        Instant at = timestampOf(e);
        String agentId = e.agentId() == null ? UNKNOWN_AGENT : e.agentId();
        eventCount++;
        if (traceId == null) {
            traceId = e.traceId();
        }
        begunBy(at);
        lastEventAt = lastEventAt == null || at.isAfter(lastEventAt) ? at : lastEventAt;
        String type = e.eventType() == null ? "" : e.eventType();
        eventCounts.merge(type, 1L, Long::sum);
        agent(agentId, at).reported(type, at);
        usage.record(e);
        EventType known = TYPES.get(type);
        if (known == null) {
            return;
        }
        switch (known) {
            case WORKFLOW_STARTED -> workflowStarted(agentId);
            case WORKFLOW_COMPLETED -> workflowEnded(TraceStatus.COMPLETED, e, agentId, at);
            case WORKFLOW_FAILED -> workflowEnded(TraceStatus.FAILED, e, agentId, at);
            case AGENT_CALLED -> agentCalled(e, agentId, at);
            case AGENT_TRANSITION -> agentTransition(e, agentId, at);
            case MESSAGE -> message(e, agentId, at);
            case TASK_STARTED -> taskStarted(e, agentId, at, standIn);
            case TASK_COMPLETED -> taskEnded(e, agentId, at, StepOutcome.COMPLETED, standIn);
            case TASK_FAILED -> taskEnded(e, agentId, at, StepOutcome.FAILED, standIn);
            case LLM_CALL -> call(e, agentId, at, StepKind.LLM_CALL, standIn);
            case TOOL_CALL -> call(e, agentId, at, StepKind.TOOL_CALL, standIn);
        }
    }

    /**
     * The event as its agent's: one that named the service as a stand-in is its nearest agent
     * ancestor's as soon as that ancestor is known, for every count, step and edge it makes. Until
     * then, while the run goes on: the agent its run names ({@code attributes.agent_run}, Mastra),
     * else, when no agent above it is known yet, the agent the latest hand-off before its unknown
     * ancestor began went to (the OpenAI Agents SDK exports an agent's span only when the agent is
     * done, and its work names no agent before that).
     */
    private TraceEvent attributed(TraceEvent e) {
        if (!AgentSource.isStandIn(e)) {
            return e;
        }
        String agent = spans.agentOf(e.parentSpanId());
        if (agent == null) {
            agent = spans.agentOfRun(text(e, ATTR_AGENT_RUN));
        }
        if (agent == null) {
            agent = handedOverTo(spans.unknownAbove(e.parentSpanId()));
        }
        if (agent == null || agent.equals(e.agentId())) {
            return e;
        }
        return new TraceEvent(e.id(), e.traceId(), e.eventType(), agent, e.timestamp(), e.spanId(), e.parentSpanId(),
                e.taskId(), e.status(), e.durationMs(), e.error(), e.model(), e.inputTokens(), e.outputTokens(),
                e.costUsd(), e.eventId(), e.attributes());
    }

    /** The receiver of the latest hand-off made before the work under the unknown span began, or {@code null}. */
    private String handedOverTo(String unknownSpan) {
        Instant began = unknownSpan == null ? null : spans.earliestChildOf(unknownSpan);
        String to = null;
        for (HandOff h : handOffs) {
            if (began != null && !h.at().isAfter(began)) {
                to = h.to();
            }
        }
        return to;
    }

    /**
     * The trace had begun by then. A call reported with its {@code duration_ms} began before its
     * own timestamp: while the span that enclosed it has not arrived, it may be the earliest thing known.
     */
    private void begunBy(Instant at) {
        startedAt = startedAt == null || at.isBefore(startedAt) ? at : startedAt;
    }

    private Instant timestampOf(TraceEvent e) {
        if (e.timestamp() != null) {
            return e.timestamp();
        }
        warn("event " + e.id() + " has no timestamp: taken as the latest seen");
        return lastEventAt != null ? lastEventAt : Instant.EPOCH;
    }

    private void workflowStarted(String agentId) {
        if (rootAgent == null) {
            rootAgent = agentId;
        }
        if (workflowStatus.hasEnded()) {
            warn("workflow_started after the workflow ended: running again");
        }
        workflowStatus = TraceStatus.RUNNING;
        endedAt = null;
        workflowError = null;
    }

    private void workflowEnded(TraceStatus status, TraceEvent e, String agentId, Instant at) {
        workflowStatus = status;
        endedAt = at;
        if (status == TraceStatus.FAILED) {
            workflowError = e.error();
            if (e.error() != null) {
                agents.get(agentId).lastError = e.error();
            }
            interactions.add(new Interaction(Kind.FAILURE_NOTE, agentId, null,
                    "workflow failed: " + describe(e.error()), at));
        }
    }

    private void agentCalled(TraceEvent e, String callee, Instant at) {
        if (e.spanId() != null) {
            calledSpans.add(e.spanId());
        }
        String caller = text(e, ATTR_CALLER);
        if (caller == null) {
            caller = agentOfSpan(e.parentSpanId());
        }
        String handedBy = pendingHandOffs.remove(callee);
        if (handedBy != null || ENTERED_BY_HANDOFF.equals(text(e, ATTR_ENTERED_BY))) {
            handedOver(e.spanId());
            if (handedBy == null && caller != null && !caller.equals(callee)) {
                // Only the span says so (the hand-off's own span did not come): the hand-off is this call.
                handOff(caller, callee, e.spanId(), "hand-off", at);
            }
            return;
        }
        if (caller != null && caller.equals(callee)) {
            return; // an agent's own span inside its work (LangGraph runs a node's subgraph in it): no call
        }
        agents.get(callee).timesCalled++;
        String ask = firstNonNull(text(e, ATTR_MESSAGE), e.taskId(), "call");
        if (caller == null) {
            interactions.add(new Interaction(Kind.NOTE, callee, null, "called: " + ask, at));
            return;
        }
        agent(caller, at);
        graph.add(caller, callee, EdgeKind.CALL, e.spanId());
        if (e.spanId() != null) {
            callerByCalleeSpan.put(e.spanId(), caller);
        }
        interactions.add(new Interaction(Kind.CALL, caller, callee, ask, at));
    }

    /** The work of this span was handed over, not asked for: the hand-off's edge is the only one it makes. */
    private void handedOver(String spanId) {
        if (spanId != null) {
            handedOverSpans.add(spanId);
        }
    }

    private void agentTransition(TraceEvent e, String agentId, Instant at) {
        String namedFrom = text(e, ATTR_FROM);
        String namedTo = text(e, ATTR_TO);
        String from;
        String to;
        if (namedTo != null) {
            to = namedTo;
            from = namedFrom != null ? namedFrom : agentId;
        } else {
            to = agentId;
            from = namedFrom != null ? namedFrom : agentOfSpan(e.parentSpanId());
        }
        if (from == null || from.equals(to)) {
            warn("agent_transition " + e.id() + " names no other agent (set attributes."
                    + ATTR_FROM + " or " + ATTR_TO + ")");
            return;
        }
        handOff(from, to, e.spanId(), firstNonNull(text(e, ATTR_REASON), text(e, ATTR_MESSAGE), "hand-off"), at);
        pendingHandOffs.put(to, from);
        handOffs.add(new HandOff(at, to));
        if (e.parentSpanId() != null) {
            handOffsUnder.merge(e.parentSpanId(), at, (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    private void handOff(String from, String to, String spanId, String reason, Instant at) {
        agent(from, at);
        agent(to, at).timesCalled++;
        graph.add(from, to, EdgeKind.HANDOFF, spanId);
        interactions.add(new Interaction(Kind.HANDOFF, from, to, reason, at));
    }

    private void message(TraceEvent e, String agentId, Instant at) {
        String content = firstNonNull(text(e, ATTR_CONTENT), text(e, ATTR_MESSAGE), "");
        String to = text(e, ATTR_TO);
        if (to == null || to.equals(agentId)) {
            interactions.add(new Interaction(Kind.NOTE, agentId, null, content, at));
            return;
        }
        agent(to, at);
        interactions.add(new Interaction(Kind.MESSAGE, agentId, to, content, at));
    }

    private void taskStarted(TraceEvent e, String agentId, Instant at, boolean standIn) {
        String key = taskKey(e);
        if (key == null) {
            warn("task_started " + e.id() + " has neither span_id nor task_id: it cannot be paired, ignored");
            return;
        }
        if (steps.openStep(key) != null) {
            warn("task_started " + e.id() + " repeats open step " + key + ": ignored");
            return;
        }
        String name = firstNonNull(e.taskId(), e.spanId());
        TrackedStep step = steps.open(new NewStep(StepKind.TASK, key, name, agentId, e.spanId(), e.taskId(),
                e.parentSpanId(), e.model(), at, false, plumbingOf(e, agentId, name), standIn));
        if (step.plumbing == null) {
            agents.get(agentId).tasks++;
        }
        step.agentEntry = step.spanId != null && calledSpans.contains(step.spanId);
        step.handedOver = step.spanId != null && handedOverSpans.contains(step.spanId);
        if (!step.handedOver && step.plumbing == null && (step.parent == null || !agentId.equals(step.parent.agentId))) {
            // A producer's hand-off followed by the receiver's first task, with no agent_called between.
            if (pendingHandOffs.remove(agentId) != null) {
                handedOver(step.spanId);
                step.handedOver = true;
            }
        }
        String caller = step.handedOver ? null : callerOf(step);
        if (caller != null) {
            graph.add(caller, agentId, EdgeKind.CALL, e.spanId());
        }
    }

    /**
     * The framework whose own step this is: as its span says ({@code attributes.plumbing}), or the
     * same agent's task of the same name directly inside another (LangGraph runs an agent node's
     * subgraph in a span of its own, with the node's name): the same work, reported twice.
     */
    private String plumbingOf(TraceEvent e, String agentId, String name) {
        String said = text(e, ATTR_PLUMBING);
        if (said != null) {
            return said;
        }
        TrackedStep parent = steps.parentBySpan(e.parentSpanId());
        return parent != null && parent.kind == StepKind.TASK && agentId.equals(parent.agentId)
                && name != null && name.equals(parent.name) ? REPEATED_TASK : null;
    }

    private void taskEnded(TraceEvent e, String agentId, Instant at, StepOutcome outcome, boolean standIn) {
        String key = taskKey(e);
        if (key == null) {
            warn(e.eventType() + " " + e.id() + " has neither span_id nor task_id: it cannot be paired, ignored");
            return;
        }
        TrackedStep step = steps.openStep(key);
        if (step == null) {
            if (steps.hasFinished(key)) {
                warn(e.eventType() + " " + e.id() + " repeats the end of step " + key + ": ignored");
                return;
            }
            warn(e.eventType() + " " + e.id() + " ends step " + key + " that never started: start inferred");
            String name = firstNonNull(e.taskId(), e.spanId());
            step = steps.open(new NewStep(StepKind.TASK, key, name, agentId, e.spanId(), e.taskId(), e.parentSpanId(),
                    e.model(), startBefore(at, e.durationMs()), true, plumbingOf(e, agentId, name), standIn));
            begunBy(step.startedAt);
            if (step.plumbing == null) {
                agents.get(agentId).tasks++;
            }
        }
        steps.finish(step, at, outcome, e.error(), e.status());
        boolean plumbing = step.plumbing != null;
        if (!plumbing) {
            agents.get(step.agentId).finished(outcome, e.error());
        }
        String caller = callerOf(step);
        if (outcome == StepOutcome.FAILED) {
            interactions.add(new Interaction(Kind.FAILURE_NOTE, step.agentId, null,
                    step.name + " failed: " + describe(e.error()), at, plumbing));
        }
        if (caller != null) {
            interactions.add(outcome == StepOutcome.FAILED
                    ? new Interaction(Kind.FAILED_RETURN, step.agentId, caller, "failed " + step.name, at, plumbing)
                    : new Interaction(Kind.RETURN, step.agentId, caller, "done " + step.name, at, plumbing));
        }
    }

    private void call(TraceEvent e, String agentId, Instant at, StepKind kind, boolean standIn) {
        String name = kind == StepKind.LLM_CALL
                ? firstNonNull(e.model(), "llm")
                : firstNonNull(text(e, ATTR_TOOL), "tool");
        // No key: a call is never open, so nothing pairs with it, and it must not displace the
        // open task that shares its span id.
        TrackedStep step = steps.open(new NewStep(kind, null, name, agentId, e.spanId(), e.taskId(),
                e.parentSpanId(), e.model(), startBefore(at, e.durationMs()), false, null, standIn));
        begunBy(step.startedAt);
        boolean failed = e.error() != null || (e.status() != null && FAILED_CALL_STATUSES.contains(e.status()));
        StepOutcome outcome = failed ? StepOutcome.FAILED : StepOutcome.COMPLETED;
        steps.finish(step, at, outcome, e.error(), e.status());
        AgentTally agent = agents.get(agentId);
        if (kind == StepKind.LLM_CALL) {
            agent.llmCalls++;
        } else {
            agent.toolCalls++;
        }
        agent.finished(outcome, e.error());
        if (failed) {
            String what = kind == StepKind.LLM_CALL ? "LLM call " : "tool ";
            interactions.add(new Interaction(Kind.FAILURE_NOTE, agentId, null,
                    what + name + " failed: " + describe(e.error()), at));
        }
    }

    /**
     * The agent that called this step's agent: its parent step's, or the one an agent_called
     * named, or that of a parent span folded later than the step (its clock ran behind).
     */
    private String callerOf(TrackedStep step) {
        String caller = step.parent != null ? step.parent.agentId : null;
        if (caller == null && step.spanId != null) {
            caller = callerByCalleeSpan.get(step.spanId);
        }
        if (caller == null && step.parentSpanId != null) {
            caller = agentOfSpan(step.parentSpanId);
        }
        return caller == null || caller.equals(step.agentId) ? null : caller;
    }

    /** The agent of a span's step, else of the span as the directory knows it (not folded yet). */
    private String agentOfSpan(String spanId) {
        TrackedStep step = steps.bySpan(spanId);
        return step != null ? step.agentId : spans.agentOf(spanId);
    }

    private AgentTally agent(String agentId, Instant at) {
        return agents.computeIfAbsent(agentId, id -> new AgentTally(id, at));
    }

    private void warn(String warning) {
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(warning);
        }
    }

    /**
     * The summary as of {@code now}.
     *
     * @param lastEventId the store id of the last event stored, which need not be the last folded
     * @param alerts      the run guards' findings stored in the trace
     */
    TraceSummary snapshot(Instant now, String lastEventId, List<JsonObject> alerts) {
        boolean ended = workflowStatus.hasEnded();
        TraceStatus status = workflowStatus;
        if (!ended && lastEventAt != null && !now.isBefore(lastEventAt.plus(stallAfter))) {
            status = TraceStatus.STALLED;
        }
        Instant until = ended ? endedAt : lastEventAt == null || now.isAfter(lastEventAt) ? now : lastEventAt;
        long durationMs = startedAt == null ? 0 : Math.max(0, Duration.between(startedAt, until).toMillis());
        List<Step> stepList = steps.snapshot(until, handOffsUnder);
        // Grouped once: an agent-by-agent scan of every step grows with agents times steps.
        Map<String, List<Step>> stepsByAgent = new HashMap<>();
        for (Step step : stepList) {
            if (step.agentId() != null) {
                stepsByAgent.computeIfAbsent(step.agentId(), a -> new ArrayList<>()).add(step);
            }
        }
        List<AgentSummary> agentList = new ArrayList<>();
        for (AgentTally tally : agents.values()) {
            List<Step> own = stepsByAgent.getOrDefault(tally.agentId, List.of());
            boolean hasOpen = own.stream().anyMatch(Step::isOpen);
            agentList.add(tally.summarize(ended, workflowStatus == TraceStatus.FAILED, hasOpen, busyMs(own)));
        }
        List<Step> work = FoldedSteps.of(stepList);
        return new TraceSummary(traceId, status, startedAt, endedAt, lastEventAt, durationMs, eventCount,
                lastEventId, List.copyOf(agentList), stepList,
                graph.snapshot(List.copyOf(agents.keySet()), rootAgent),
                CriticalPathFinder.find(work, startedAt, until),
                failures(work), usage.snapshot(),
                Collections.unmodifiableMap(new TreeMap<>(eventCounts)),
                List.copyOf(interactions), List.copyOf(warnings), alerts);
    }

    /** Time covered by at least one of the steps: overlapping steps count once. */
    private static long busyMs(List<Step> steps) {
        List<Step> byStart = new ArrayList<>(steps);
        byStart.sort(Comparator.comparing(Step::startedAt));
        long total = 0;
        Instant coveredUntil = null;
        for (Step s : byStart) {
            Instant end = CriticalPathFinder.endOf(s);
            Instant from = coveredUntil == null || s.startedAt().isAfter(coveredUntil) ? s.startedAt() : coveredUntil;
            if (end.isAfter(from)) {
                total += Duration.between(from, end).toMillis();
                coveredUntil = end;
            }
        }
        return total;
    }

    /** @param work the steps with plumbing folded away ({@link FoldedSteps}) */
    private Failures failures(List<Step> work) {
        Map<Integer, Step> byIndex = new HashMap<>();
        work.forEach(s -> byIndex.put(s.index(), s));
        List<Step> failed = work.stream().filter(s -> s.outcome() == StepOutcome.FAILED).toList();
        Step first = null;
        List<Step> firstCallers = null;
        Instant firstAt = null;
        for (Step step : failed) {
            // A step failed no later than the steps around it ended: a child's clock may stamp its
            // end a millisecond after its parent's (see SpanDirectory). At one instant the innermost
            // failure comes first, the one its callers failed of; then the step seen first.
            List<Step> callers = callerChain(step, byIndex);
            Instant at = CriticalPathFinder.endOf(step);
            for (Step caller : callers) {
                Instant callerEnd = CriticalPathFinder.endOf(caller);
                at = callerEnd.isBefore(at) ? callerEnd : at;
            }
            int depth = callers.size();
            if (first == null || at.isBefore(firstAt) || (at.equals(firstAt) && (depth > firstCallers.size()
                    || (depth == firstCallers.size() && step.index() < first.index())))) {
                first = step;
                firstCallers = callers;
                firstAt = at;
            }
        }
        FirstFailure firstFailure = first == null ? null : new FirstFailure(first, firstCallers);
        return new Failures(failed.size(), firstFailure, workflowError);
    }

    /** Enclosing steps, outermost first; stops at a cycle a confused producer may have made. */
    private static List<Step> callerChain(Step step, Map<Integer, Step> byIndex) {
        List<Step> chain = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        seen.add(step.index());
        Integer parent = step.parentIndex();
        while (parent != null && seen.add(parent) && byIndex.containsKey(parent)) {
            Step caller = byIndex.get(parent);
            chain.add(caller);
            parent = caller.parentIndex();
        }
        Collections.reverse(chain);
        return List.copyOf(chain);
    }

    private static String taskKey(TraceEvent e) {
        return e.spanId() != null ? e.spanId() : e.taskId();
    }

    private static Instant startBefore(Instant end, Long durationMs) {
        return durationMs == null ? end : end.minusMillis(durationMs);
    }

    private static String text(TraceEvent e, String attribute) {
        Object value = e.attributes().get(attribute);
        return value == null ? null : value.toString();
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    static String describe(EventError error) {
        if (error == null) {
            return "no error reported";
        }
        if (error.type() != null && error.message() != null) {
            return error.type() + ": " + error.message();
        }
        return error.type() != null ? error.type() : error.message() != null ? error.message() : "no error reported";
    }
}
