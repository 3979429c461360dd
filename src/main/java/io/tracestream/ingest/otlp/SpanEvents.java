package io.tracestream.ingest.otlp;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.EventAttributes;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.TraceEventRules;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TraceEvents of one span, by its {@link SpanRole}: an agent span is {@code agent_called} +
 * {@code task_started} at its start and {@code task_completed}/{@code task_failed} at its end; a
 * model span is an {@code llm_call} and a tool span a {@code tool_call} at its end; a hand-off is
 * an {@code agent_transition}; any other span a {@code task_started} + end pair. A root span, and
 * an {@code invoke_workflow} span, also start and end the workflow. Times are the span's own.
 *
 * <p>Attributes: first what Trace Stream derives ({@code agent_source}, {@code service.name},
 * {@code span_name}, {@code span_kind}, the conversation, and per type {@code caller_agent},
 * {@code provider}, {@code cache_read_input_tokens}, {@code tool}, {@code tool_call_id},
 * {@code from_agent}, {@code to_agent}); then the span's own attributes as they are, on the one
 * event that ends the span only (so a large prompt attribute is stored once, not three times), up
 * to the cap: when some did not fit, {@code attributes_dropped} says how many. What the span said
 * (its content attributes and events, {@link SpanContent}) is not among them: it travels with that
 * same event as its {@link CallContent}, stored beside it.
 *
 * <p>{@code event_id} is {@code otlp:<otel trace id>:<span id>:<phase>}: an exporter that sends the
 * same span again produces the same ids, which the store's dedup keeps once.
 *
 * <p>A {@link PendingSpan} (the real span, still running) gives only the events of the real span's
 * start, with their ids and {@code logfire.span_type: pending_span}: the workflow's start, an
 * agent's {@code agent_called} + {@code task_started}, any other step's {@code task_started}. A model
 * call, tool call or hand-off has no event at its start (its one event carries what only its end
 * knows), so its pending span gives none but a root's {@code workflow_started}.
 */
final class SpanEvents {

    static final String ATTR_AGENT_SOURCE = "agent_source";
    static final String ATTR_SERVICE = "service.name";
    static final String ATTR_SPAN_NAME = "span_name";
    static final String ATTR_SPAN_KIND = "span_kind";
    static final String ATTR_OTEL_TRACE_ID = "otel_trace_id";
    static final String ATTR_CONVERSATION = "gen_ai.conversation.id";
    static final String ATTR_SESSION = "session.id";
    static final String ATTR_CALLER = "caller_agent";
    static final String ATTR_PROVIDER = EventAttributes.PROVIDER;
    static final String ATTR_CACHE_READ = EventAttributes.CACHE_READ_INPUT_TOKENS;
    static final String ATTR_TOOL = "tool";
    static final String ATTR_TOOL_CALL_ID = "tool_call_id";
    static final String ATTR_FROM = "from_agent";
    static final String ATTR_TO = "to_agent";
    static final String ATTR_DROPPED = "attributes_dropped";
    /** How many attribute values were cut to {@link TraceEventRules#MAX_TEXT_LENGTH} (each cut is marked in its value). */
    static final String ATTR_TRUNCATED = "attributes_truncated";
    /** The framework whose own step the span is (see {@link SpanFacts#plumbing}). */
    static final String ATTR_PLUMBING = "plumbing";
    /** What groups one agent's run (see {@link SpanFacts#agentRun}). */
    static final String ATTR_AGENT_RUN = "agent_run";
    /** How an agent got its work when it was not called: {@code handoff}. */
    static final String ATTR_ENTERED_BY = "entered_by";
    /** A framework's signal that ended the span with status ERROR but was no failure (LangGraph's {@code ParentCommand}). */
    static final String ATTR_CONTROL_FLOW = "control_flow";

    /** Event type wire names, computed once: {@link EventType#wireName()} lower-cases on every call. */
    private static final String[] WIRE_NAMES = new String[EventType.values().length];

    static {
        for (EventType type : EventType.values()) {
            WIRE_NAMES[type.ordinal()] = type.wireName();
        }
    }

    static final String STATUS_OK = "ok";
    static final String STATUS_ERROR = "error";
    static final String STATUS_UNSET = "unset";

    /** Where an event's agent came from: the span itself, an ancestor in the request, or the resource's service. */
    enum AgentSource {
        SPAN("span"), ANCESTOR("ancestor"), SERVICE("service");

        private final String wireName;

        AgentSource(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    /** An agent and where it came from. */
    record Agent(String id, AgentSource source) {}

    private final SpanNode node;
    private final Span span;
    private final SpanFacts facts;
    private final String traceId;
    private final Agent agent;
    private final String callerAgent;
    private final Map<String, Object> base;
    private final Instant start;
    private final Instant end;
    private final long durationMs;
    private final boolean failed;
    private final String status;
    private final EventError error;
    private final List<TraceEvent> events = new ArrayList<>(5);
    /** What the span said (prompts, answers, tool arguments and results): moved beside its ending event. */
    private final SpanContent said;

    private SpanEvents(SpanNode node, String traceId, Agent agent, String callerAgent, boolean conversationMode) {
        this.node = node;
        this.span = node.span;
        this.facts = node.facts;
        this.traceId = traceId;
        this.agent = agent;
        this.callerAgent = callerAgent;
        this.said = SpanContent.of(span);
        this.start = instant(span.getStartTimeUnixNano());
        this.end = instant(span.getEndTimeUnixNano());
        this.durationMs = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000L;
        Status.StatusCode code = span.getStatus().getCode();
        EventError reported = code == Status.StatusCode.STATUS_CODE_ERROR ? error(span, facts) : facts.resultError();
        // LangGraph hands off and pauses by throwing: the span ends ERROR, but nothing failed.
        String controlFlow = ErrorText.isControlFlow(reported) ? reported.type() : null;
        this.failed = reported != null && controlFlow == null;
        this.status = failed ? STATUS_ERROR : code == Status.StatusCode.STATUS_CODE_UNSET && controlFlow == null
                ? STATUS_UNSET : STATUS_OK;
        this.error = failed ? withinLimits(reported) : null;
        this.base = new LinkedHashMap<>(16);
        base.put(ATTR_AGENT_SOURCE, agent.source().wireName());
        base.put(ATTR_SERVICE, node.service);
        base.put(ATTR_SPAN_NAME, span.getName());
        base.put(ATTR_SPAN_KIND, kind(span.getKind()));
        if (conversationMode) {
            base.put(ATTR_OTEL_TRACE_ID, node.otelTraceId);
        }
        if (facts.conversationId() != null) {
            base.put(ATTR_CONVERSATION, facts.conversationId());
        }
        if (facts.sessionId() != null) {
            base.put(ATTR_SESSION, facts.sessionId());
        }
        putIfPresent(base, ATTR_PLUMBING, facts.plumbing());
        putIfPresent(base, ATTR_AGENT_RUN, facts.agentRun());
        putIfPresent(base, ATTR_CONTROL_FLOW, controlFlow);
        if (facts.isPendingCopy()) {
            // Says the start came before the span ended: the run guards count the span in flight until its end.
            base.put(PendingSpan.SPAN_TYPE, PendingSpan.PENDING);
        }
    }

    /**
     * The span's events, in time order.
     *
     * @param traceId     the Trace Stream trace the span goes to
     * @param agent       the span's agent
     * @param callerAgent the nearest agent above the span in the request, or {@code null}
     */
    static List<TraceEvent> of(SpanNode node, String traceId, Agent agent, String callerAgent, boolean conversationMode) {
        return new SpanEvents(node, traceId, agent, callerAgent, conversationMode).build();
    }

    private List<TraceEvent> build() {
        boolean workflow = node.isRoot() || facts.isWorkflow();
        if (workflow) {
            events.add(event(EventType.WORKFLOW_STARTED, "wf-start", start, base).build());
        }
        if (facts.isPendingCopy()) {
            startOnly();
            return events;
        }
        switch (facts.role()) {
            case AGENT -> {
                events.add(agentCalled());
                taskStartAndEnd();
            }
            case MODEL -> {
                Map<String, Object> attributes = new LinkedHashMap<>(base);
                putIfPresent(attributes, ATTR_PROVIDER, facts.provider());
                Long cacheRead = facts.cacheReadInputTokens();
                if (cacheRead != null) {
                    attributes.put(ATTR_CACHE_READ, BigDecimal.valueOf(cacheRead));
                }
                events.add(ending(event(EventType.LLM_CALL, "llm", end, withSpanAttributes(attributes)))
                        .said()
                        .model(facts.model())
                        .tokens(facts.inputTokens(), facts.outputTokens())
                        .cost(facts.cost())
                        .build());
            }
            case TOOL -> {
                Map<String, Object> attributes = new LinkedHashMap<>(base);
                String tool = facts.tool();
                attributes.put(ATTR_TOOL, tool != null ? tool : span.getName());
                putIfPresent(attributes, ATTR_TOOL_CALL_ID, facts.toolCallId());
                events.add(ending(event(EventType.TOOL_CALL, "tool", end, withSpanAttributes(attributes))).said().build());
            }
            case HANDOFF -> {
                Map<String, Object> attributes = new LinkedHashMap<>(base);
                if (agent.source() != AgentSource.SERVICE) {
                    // A stand-in is not named: the summary then takes the event's agent as it works it out.
                    attributes.put(ATTR_FROM, agent.id());
                }
                attributes.put(ATTR_TO, facts.handOffTarget());
                events.add(event(EventType.AGENT_TRANSITION, "handoff", start, withSpanAttributes(attributes)).said().build());
            }
            case STEP -> taskStartAndEnd();
        }
        if (facts.handsOverTo() != null) {
            Map<String, Object> attributes = new LinkedHashMap<>(base);
            if (agent.source() != AgentSource.SERVICE) {
                attributes.put(ATTR_FROM, agent.id());
            }
            attributes.put(ATTR_TO, facts.handsOverTo());
            events.add(event(EventType.AGENT_TRANSITION, "handoff-end", end, attributes).build());
        }
        if (workflow) {
            EventType type = failed ? EventType.WORKFLOW_FAILED : EventType.WORKFLOW_COMPLETED;
            events.add(ending(event(type, "wf-end", end, base)).build());
        }
        return events;
    }

    /** The events of the start of a span still running (its {@link PendingSpan}), with the ids the real span's start gets. */
    private void startOnly() {
        switch (facts.role()) {
            case AGENT -> {
                events.add(agentCalled());
                events.add(taskStarted());
            }
            case STEP -> events.add(taskStarted());
            case MODEL, TOOL, HANDOFF -> { }
        }
    }

    private TraceEvent agentCalled() {
        Map<String, Object> called = base;
        if (facts.handedOverBy() != null) {
            called = new LinkedHashMap<>(base);
            called.put(ATTR_CALLER, facts.handedOverBy());
            called.put(ATTR_ENTERED_BY, "handoff");
        } else if (callerAgent != null) {
            called = new LinkedHashMap<>(base);
            called.put(ATTR_CALLER, callerAgent);
        }
        return event(EventType.AGENT_CALLED, "called", start, called).build();
    }

    private TraceEvent taskStarted() {
        return event(EventType.TASK_STARTED, "start", start, base).task(span.getName()).build();
    }

    private void taskStartAndEnd() {
        events.add(taskStarted());
        EventType type = failed ? EventType.TASK_FAILED : EventType.TASK_COMPLETED;
        events.add(ending(event(type, "end", end, withSpanAttributes(new LinkedHashMap<>(base))))
                .task(span.getName()).said().build());
    }

    private Builder event(EventType type, String phase, Instant at, Map<String, Object> attributes) {
        return new Builder(type, phase, at, attributes);
    }

    private Builder ending(Builder b) {
        b.durationMs = durationMs;
        b.status = status;
        b.error = error;
        return b;
    }

    /**
     * Adds the span's own attributes after the derived ones (which win a clash), up to the cap;
     * when some do not fit, the last slot says how many were dropped. Content attributes are not
     * among them: what the span said goes beside the event ({@link Builder#said}), not inside it.
     */
    private Map<String, Object> withSpanAttributes(Map<String, Object> attributes) {
        int dropped = 0;
        int truncated = 0;
        String lastAdded = null;
        for (KeyValue kv : span.getAttributesList()) {
            String key = kv.getKey();
            if (attributes.containsKey(key) || said.isContent(key)) {
                continue;
            }
            if (dropped == 0 && attributes.size() < TraceEventRules.MAX_ATTRIBUTES) {
                Object value = AttributeValues.scalar(kv.getValue());
                if (value instanceof String s && s.length() > TraceEventRules.MAX_TEXT_LENGTH) {
                    value = TraceEventRules.cutText(s, TraceEventRules.MAX_TEXT_LENGTH);
                    truncated++;
                }
                if (value != null) {
                    attributes.put(key, value);
                    lastAdded = key;
                }
            } else if (AttributeValues.scalar(kv.getValue()) != null) {
                if (dropped == 0 && lastAdded != null) {
                    // Make room for the count: it is worth more than one more attribute.
                    attributes.remove(lastAdded);
                    dropped++;
                }
                dropped++;
            }
        }
        if (dropped > 0) {
            attributes.put(ATTR_DROPPED, BigDecimal.valueOf(dropped));
        }
        if (truncated > 0) {
            attributes.put(ATTR_TRUNCATED, BigDecimal.valueOf(truncated));
        }
        return attributes;
    }

    /** An error whose texts are cut to the limit, never a reason to lose the span. */
    private static EventError withinLimits(EventError e) {
        return new EventError(e.type() != null && e.type().length() > TraceEventRules.MAX_NAME_LENGTH
                ? TraceEventRules.cutText(e.type(), TraceEventRules.MAX_NAME_LENGTH) : e.type(),
                TraceEventRules.cutText(e.message(), TraceEventRules.MAX_TEXT_LENGTH),
                TraceEventRules.cutText(e.stacktrace(), TraceEventRules.MAX_TEXT_LENGTH));
    }

    private static void putIfPresent(Map<String, Object> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }

    /**
     * What went wrong: the last exception event's type, message and stack trace, else the span's
     * {@code error.type} and status message; run-together texts split apart ({@link ErrorText}).
     */
    private static EventError error(Span span, SpanFacts facts) {
        String type = null;
        String message = null;
        String stacktrace = null;
        for (int i = span.getEventsCount() - 1; i >= 0; i--) {
            Span.Event event = span.getEvents(i);
            if ("exception".equals(event.getName())) {
                for (KeyValue kv : event.getAttributesList()) {
                    switch (kv.getKey()) {
                        case "exception.type" -> type = AttributeValues.text(kv.getValue());
                        case "exception.message" -> message = AttributeValues.text(kv.getValue());
                        case "exception.stacktrace" -> stacktrace = AttributeValues.text(kv.getValue());
                        default -> { }
                    }
                }
                break;
            }
        }
        if (message == null && !span.getStatus().getMessage().isEmpty()) {
            message = span.getStatus().getMessage();
        }
        EventError error = ErrorText.of(type, message, stacktrace);
        if (error.type() == null && facts.errorType() != null) {
            error = new EventError(facts.errorType(), error.message(), error.stacktrace());
        }
        if (error.type() == null && error.message() == null) {
            error = new EventError(null, "span ended with status ERROR", error.stacktrace());
        }
        return error;
    }

    static Instant instant(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    }

    private static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_INTERNAL -> "internal";
            case SPAN_KIND_SERVER -> "server";
            case SPAN_KIND_CLIENT -> "client";
            case SPAN_KIND_PRODUCER -> "producer";
            case SPAN_KIND_CONSUMER -> "consumer";
            default -> "unspecified";
        };
    }

    /** One event of the span, filled in by phase. */
    private final class Builder {
        private final EventType type;
        private final String phase;
        private final Instant at;
        private final Map<String, Object> attributes;
        private String task;
        private Long durationMs;
        private String status;
        private EventError error;
        private String model;
        private Long inputTokens;
        private Long outputTokens;
        private BigDecimal cost;
        private CallContent content;

        Builder(EventType type, String phase, Instant at, Map<String, Object> attributes) {
            this.type = type;
            this.phase = phase;
            this.at = at;
            this.attributes = attributes;
        }

        /**
         * The span name as the task's name, which the summary shows. Left out when it is longer
         * than a name may be (a SQL statement as span name, say): the span is not rejected for a
         * field Trace Stream derives, and {@code span_name} still carries it.
         */
        Builder task(String name) {
            this.task = name.isEmpty() || name.length() > TraceEventRules.MAX_NAME_LENGTH ? null : name;
            return this;
        }

        /** The event carries what the span said, when it said anything. */
        Builder said() {
            JsonObject document = SpanEvents.this.said.document();
            this.content = document == null ? null : CallContent.of(document);
            return this;
        }

        Builder model(String model) {
            this.model = model;
            return this;
        }

        Builder tokens(Long input, Long output) {
            this.inputTokens = input;
            this.outputTokens = output;
            return this;
        }

        Builder cost(BigDecimal cost) {
            this.cost = cost;
            return this;
        }

        TraceEvent build() {
            String eventId = "otlp:" + node.otelTraceId + ':' + node.spanId + ':' + phase;
            return new TraceEvent(null, traceId, WIRE_NAMES[type.ordinal()], agent.id(), at, node.spanId, node.parentSpanId,
                    task, status, durationMs, error, model, inputTokens, outputTokens, cost, eventId, attributes, content);
        }
    }
}
