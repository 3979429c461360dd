package io.tracestream.ingest;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Exports a zero-length copy of each span as it starts (Pydantic Logfire's pending span): Trace Stream shows the step while it runs. */
public final class PendingSpanProcessor implements SpanProcessor {

    private final SpanExporter exporter;
    private final Set<CompletableResultCode> exporting = ConcurrentHashMap.newKeySet();

    public PendingSpanProcessor(SpanExporter exporter) {
        this.exporter = exporter;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (!span.getSpanContext().isSampled()) {
            return;
        }
        SpanData real = span.toSpanData();
        SpanContext copy = SpanContext.create(real.getTraceId(), IdGenerator.random().generateSpanId(),
                real.getSpanContext().getTraceFlags(), real.getSpanContext().getTraceState());
        Attributes attributes = real.getAttributes().toBuilder()
                .put("logfire.span_type", "pending_span")
                .put("logfire.pending_parent_id", real.getParentSpanId()) // 0000000000000000 for a root
                .build();
        CompletableResultCode sent = exporter.export(List.of(new DelegatingSpanData(real) {
            @Override public SpanContext getSpanContext() { return copy; }
            @Override public SpanContext getParentSpanContext() { return real.getSpanContext(); }
            @Override public Attributes getAttributes() { return attributes; }
            @Override public int getTotalAttributeCount() { return attributes.size(); }
            @Override public long getEndEpochNanos() { return real.getStartEpochNanos(); }
            @Override public boolean hasEnded() { return true; }
        }));
        exporting.add(sent);
        sent.whenComplete(() -> exporting.remove(sent));
    }

    @Override public boolean isStartRequired() { return true; }
    @Override public void onEnd(ReadableSpan span) {}
    @Override public boolean isEndRequired() { return false; }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofAll(exporting);
    }
}
