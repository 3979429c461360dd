package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.trace.v1.Span;

/**
 * One span of a request with valid ids, as the mapper sees it: its ids in hex, its resource's
 * service, what it says about itself, and what it inherits from its ancestors in the same
 * request (worked out once, then remembered). A {@link PendingSpan} has its real span's ids: it
 * stands for that span.
 */
final class SpanNode {

    final Span span;
    final String otelTraceId;
    final String spanId;
    /** {@code null} for a root span. */
    final String parentSpanId;
    final String service;
    final SpanFacts facts;
    /** The agent the span names itself, or {@code null}. */
    final String ownAgent;
    /** The span's {@code gen_ai.conversation.id}, else {@code session.id}, or {@code null}. */
    final String ownConversation;

    String ancestorAgent;
    boolean ancestorAgentKnown;
    String ancestorConversation;
    boolean ancestorConversationKnown;

    SpanNode(Span span, String otelTraceId, String spanId, String parentSpanId, String service, SpanFacts facts) {
        this.span = span;
        this.otelTraceId = otelTraceId;
        this.spanId = spanId;
        this.parentSpanId = parentSpanId;
        this.service = service;
        this.facts = facts;
        this.ownAgent = facts.agent();
        this.ownConversation = facts.conversationId() != null ? facts.conversationId() : facts.sessionId();
    }

    static String key(String otelTraceId, String spanId) {
        return otelTraceId + spanId;
    }

    String key() {
        return key(otelTraceId, spanId);
    }

    String parentKey() {
        return parentSpanId == null ? null : key(otelTraceId, parentSpanId);
    }

    boolean isRoot() {
        return parentSpanId == null;
    }
}
