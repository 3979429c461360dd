package io.tracestream.ingest.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.domain.FieldError;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventRules;
import io.tracestream.domain.TraceId;
import io.tracestream.ingest.otlp.SpanEvents.Agent;
import io.tracestream.ingest.otlp.SpanEvents.AgentSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the spans of one OTLP export to TraceEvents, per Trace Stream trace (see {@link SpanEvents}
 * for the events of a span and {@link SpanFacts} for how a span is recognised).
 *
 * <p>A span's agent is the one it names itself (agent_source {@code span}); else its nearest
 * ancestor's within this request ({@code ancestor}); else, when that ancestor has not arrived
 * yet (SDKs export a span when it ends, so parents come after their children), the resource's
 * {@code service.name} ({@code service}), which the summary may re-attribute once the ancestor
 * arrives. Nothing here remembers earlier requests: the same request always gives the same
 * events, byte for byte, on any instance.
 *
 * <p>A span is never lost for its size: its content (prompts, answers, tool arguments and results)
 * is moved beside its event and cut there to the operator's limit, and a long attribute value or
 * error text is cut to 64 KiB, marked. A span is rejected whole, never half mapped, when its trace
 * or span id is missing, of the wrong length or all zeros, its parent id is of the wrong length or
 * all zeros, its times are missing or reversed, or one of its events would break another
 * {@link TraceEventRules} rule (a model name over 256 characters, a negative token count...). The
 * reason names the rule. Thread-safe: one mapper serves all requests.
 *
 * <p>A {@link PendingSpan} (the copy of a span still running, sent as it starts) is mapped as its
 * real span, started: the real span's ids and the events of its start, with the event ids the
 * real span's start gets. The store keeps that start once, whichever of the two arrives first, and
 * the real span adds only its end: one step, open until the span ends.
 */
public final class OtlpSpanMapper {

    /** The agent of last resort when a resource names no service, as OpenTelemetry SDKs default it. */
    static final String UNKNOWN_SERVICE = "unknown_service";
    /** Longest rejection reason kept: a reason can quote a producer's (hostile) attribute key. */
    private static final int MAX_REASON_LENGTH = 300;

    private final TraceIdMode mode;

    public OtlpSpanMapper(TraceIdMode mode) {
        this.mode = mode;
    }

    /**
     * The producer adapter's one step: an export request's body, in its encoding, as the events of
     * its spans by trace, and the spans that could not be taken.
     *
     * @throws OtlpDecodingException when the body is not an export request in that encoding
     */
    public MappedSpans read(OtlpEncoding encoding, byte[] body) throws OtlpDecodingException {
        return map(encoding.decode(body));
    }

    public MappedSpans map(ExportTraceServiceRequest request) {
        return new RequestMapping().map(request);
    }

    /** The working state of one request. */
    private final class RequestMapping {
        private final List<SpanNode> nodes = new ArrayList<>();
        private final Map<String, SpanNode> byKey = new HashMap<>();
        private final Map<ByteString, String> traceHex = new HashMap<>();
        private final Map<String, Boolean> validConversation = new HashMap<>();
        private final List<RejectedSpan> rejected = new ArrayList<>();
        private final Map<String, List<TraceEvent>> eventsByTrace = new LinkedHashMap<>();
        private int spanCount;

        MappedSpans map(ExportTraceServiceRequest request) {
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                String service = serviceName(resourceSpans.getResource());
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    String scope = scopeSpans.getScope().getName();
                    for (Span span : scopeSpans.getSpansList()) {
                        index(span, service, scope);
                    }
                }
            }
            for (SpanNode node : nodes) {
                mapSpan(node);
            }
            for (Map.Entry<String, List<TraceEvent>> e : eventsByTrace.entrySet()) {
                e.setValue(Collections.unmodifiableList(e.getValue()));
            }
            return new MappedSpans(eventsByTrace, rejected, spanCount);
        }

        /** Checks a span's ids and times, and makes it findable as an ancestor. */
        private void index(Span span, String service, String scope) {
            spanCount++;
            String problem = OtlpIds.problem("trace_id", span.getTraceId(), OtlpIds.TRACE_ID_BYTES);
            if (problem == null) {
                problem = OtlpIds.problem("span_id", span.getSpanId(), OtlpIds.SPAN_ID_BYTES);
            }
            if (problem == null && !span.getParentSpanId().isEmpty()) {
                problem = OtlpIds.problem("parent_span_id", span.getParentSpanId(), OtlpIds.SPAN_ID_BYTES);
            }
            if (problem == null) {
                problem = timeProblem(span);
            }
            SpanFacts facts = problem == null ? SpanFacts.of(span, scope) : null;
            if (problem == null && facts.isPendingCopy()) {
                problem = PendingSpan.problem(span, facts.pendingParentId());
            }
            if (problem != null) {
                reject(span, problem);
                return;
            }
            String otelTraceId = traceHex.computeIfAbsent(span.getTraceId(), OtlpIds::hex);
            String spanId = OtlpIds.hex(span.getSpanId());
            String parent = span.getParentSpanId().isEmpty() ? null : OtlpIds.hex(span.getParentSpanId());
            if (facts.isPendingCopy()) {
                // The copy stands for its real span: its parent is that span, its pending parent the real parent.
                spanId = parent;
                parent = PendingSpan.realParent(facts.pendingParentId());
            }
            SpanNode node = new SpanNode(span, otelTraceId, spanId, parent, service, facts);
            nodes.add(node);
            // A span sent twice in one request: the later copy is the one children see; both map
            // to the same event ids, which the store's dedup keeps once. The real span, which
            // knows more than its pending copy, is never hidden by it.
            if (facts.isPendingCopy()) {
                byKey.putIfAbsent(node.key(), node);
            } else {
                byKey.put(node.key(), node);
            }
        }

        private void mapSpan(SpanNode node) {
            String ancestorAgent = ancestorAgent(node);
            Agent agent;
            if (node.ownAgent != null) {
                agent = new Agent(node.ownAgent, AgentSource.SPAN);
            } else if (ancestorAgent != null) {
                agent = new Agent(ancestorAgent, AgentSource.ANCESTOR);
            } else {
                agent = new Agent(node.service, AgentSource.SERVICE);
            }
            List<TraceEvent> events = SpanEvents.of(node, traceIdOf(node), agent, ancestorAgent, mode == TraceIdMode.CONVERSATION);
            if (events.isEmpty()) {
                return; // a pending model call, tool call or hand-off: reported when it ends
            }
            for (TraceEvent e : events) {
                List<FieldError> problems = TraceEventRules.check(e);
                if (!problems.isEmpty()) {
                    reject(node.span, e.eventType() + " " + problems.get(0));
                    return;
                }
            }
            eventsByTrace.computeIfAbsent(events.get(0).traceId(), id -> new ArrayList<>()).addAll(events);
        }

        private String traceIdOf(SpanNode node) {
            if (mode == TraceIdMode.TRACE) {
                return node.otelTraceId;
            }
            String conversation = node.ownConversation != null ? node.ownConversation : ancestorConversation(node);
            // A conversation id that is no valid Trace Stream trace id (over 128 characters, or with
            // characters outside A-Z a-z 0-9 . _ : -) cannot name a trace, and rewriting it would
            // merge conversations that differ. The span keeps its OTel trace id instead: the run is
            // still shown, only its turns are not joined into one trace.
            if (conversation == null || !validConversation.computeIfAbsent(conversation, TraceId::isValid)) {
                return node.otelTraceId;
            }
            return conversation;
        }

        private String ancestorAgent(SpanNode node) {
            return nearestAbove(node, Inherited.AGENT);
        }

        private String ancestorConversation(SpanNode node) {
            return nearestAbove(node, Inherited.CONVERSATION);
        }

        /**
         * What the nearest ancestor in this request that has one says of {@code what}, or
         * {@code null}. Remembered for every span on the way up, which all share the answer: a
         * request is walked in linear time however deep its spans nest. Stops after as many steps
         * as there are spans, should parent ids form a cycle.
         */
        private String nearestAbove(SpanNode node, Inherited what) {
            if (what.known(node)) {
                return what.remembered(node);
            }
            List<SpanNode> path = new ArrayList<>(4);
            String found = null;
            SpanNode current = node;
            for (int steps = 0; steps <= nodes.size(); steps++) {
                path.add(current);
                SpanNode parent = parentOf(current);
                if (parent == null) {
                    break;
                }
                if (what.own(parent) != null) {
                    found = what.own(parent);
                    break;
                }
                if (what.known(parent)) {
                    found = what.remembered(parent);
                    break;
                }
                current = parent;
            }
            for (SpanNode n : path) {
                what.remember(n, found);
            }
            return found;
        }

        private SpanNode parentOf(SpanNode node) {
            String key = node.parentKey();
            return key == null ? null : byKey.get(key);
        }

        private void reject(Span span, String reason) {
            rejected.add(new RejectedSpan(OtlpIds.hex(span.getTraceId(), true), OtlpIds.hex(span.getSpanId(), true),
                    reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH - 3) + "..."));
        }
    }

    /** What a span inherits from its ancestors when it does not say it itself. */
    private enum Inherited {
        AGENT {
            @Override
            String own(SpanNode n) {
                return n.ownAgent;
            }

            @Override
            boolean known(SpanNode n) {
                return n.ancestorAgentKnown;
            }

            @Override
            String remembered(SpanNode n) {
                return n.ancestorAgent;
            }

            @Override
            void remember(SpanNode n, String value) {
                n.ancestorAgent = value;
                n.ancestorAgentKnown = true;
            }
        },
        CONVERSATION {
            @Override
            String own(SpanNode n) {
                return n.ownConversation;
            }

            @Override
            boolean known(SpanNode n) {
                return n.ancestorConversationKnown;
            }

            @Override
            String remembered(SpanNode n) {
                return n.ancestorConversation;
            }

            @Override
            void remember(SpanNode n, String value) {
                n.ancestorConversation = value;
                n.ancestorConversationKnown = true;
            }
        };

        abstract String own(SpanNode n);

        abstract boolean known(SpanNode n);

        abstract String remembered(SpanNode n);

        abstract void remember(SpanNode n, String value);
    }

    private static String timeProblem(Span span) {
        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        // fixed64 in protobuf: a value past 2^63 ns (year 2262) reads as negative here.
        if (start <= 0) {
            return start == 0 ? "start_time_unix_nano is missing" : "start_time_unix_nano is out of range";
        }
        if (end <= 0) {
            return end == 0 ? "end_time_unix_nano is missing" : "end_time_unix_nano is out of range";
        }
        if (end < start) {
            return "end_time_unix_nano is before start_time_unix_nano";
        }
        return null;
    }

    private static String serviceName(Resource resource) {
        for (KeyValue kv : resource.getAttributesList()) {
            if ("service.name".equals(kv.getKey())) {
                String name = AttributeValues.text(kv.getValue());
                return name == null || name.isBlank() ? UNKNOWN_SERVICE : name;
            }
        }
        return UNKNOWN_SERVICE;
    }
}
