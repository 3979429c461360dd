package io.tracestream.ingest.otlp;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Pydantic Logfire's pending span: how an SDK shows a span while it runs, since spans are exported
 * only when they end. As the span starts, a zero-length copy of it is exported, with the attribute
 * {@value #SPAN_TYPE} = {@value #PENDING}, a span id of its own, the real span as its
 * {@code parent_span_id}, and the real span's own parent in {@value #REAL_PARENT} (16 hex
 * characters, all zeros for a root); its name, kind, attributes and start time are the real span's.
 *
 * <p>Trace Stream reads the copy as what it stands for, the real span started and not yet ended:
 * the real span's ids, the events of its start and none of its end (see {@link SpanEvents}).
 */
final class PendingSpan {

    static final String SPAN_TYPE = "logfire.span_type";
    static final String PENDING = "pending_span";
    static final String REAL_PARENT = "logfire.pending_parent_id";
    /** How Logfire writes "no parent" in {@value #REAL_PARENT}: the invalid span id, all zeros. */
    private static final String NO_PARENT = "0".repeat(OtlpIds.SPAN_ID_BYTES * 2);
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{" + OtlpIds.SPAN_ID_BYTES * 2 + "}");
    /** Longest part of a wrong {@value #REAL_PARENT} quoted in a rejection: the value is the producer's. */
    private static final int MAX_SHOWN = 32;

    private PendingSpan() {}

    /**
     * Why a pending span cannot stand for its real span, or {@code null} when it can.
     *
     * @param realParent its {@value #REAL_PARENT}, or {@code null} when it has none
     */
    static String problem(Span span, String realParent) {
        if (span.getParentSpanId().isEmpty()) {
            return "a pending span (" + SPAN_TYPE + " " + PENDING + ") must name its real span as parent_span_id";
        }
        if (realParent != null && !realParent.isEmpty() && !SPAN_ID.matcher(realParent).matches()) {
            String shown = realParent.length() <= MAX_SHOWN ? realParent : realParent.substring(0, MAX_SHOWN) + "...";
            return REAL_PARENT + " must be " + OtlpIds.SPAN_ID_BYTES * 2 + " hex characters, got \"" + shown + "\"";
        }
        return null;
    }

    /** The real span's parent in lowercase hex, or {@code null} when the real span is a root. */
    static String realParent(String realParent) {
        if (realParent == null || realParent.isEmpty()) {
            return null;
        }
        String hex = realParent.toLowerCase(Locale.ROOT);
        return NO_PARENT.equals(hex) ? null : hex;
    }
}
