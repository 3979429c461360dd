package io.tracestream.ingest.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracestream.domain.TraceEvent;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Real protocol messages for the tests, built with the published OTLP classes. */
final class Otlp {

    /** 2026-01-01T00:00:00Z in Unix nanoseconds. */
    static final long T0 = 1_767_225_600_000_000_000L;
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

    private Otlp() {}

    static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    /** Span id number {@code n} as 16 hex characters: 00f067aa0ba902b1 style, distinct per n. */
    static String spanId(int n) {
        return String.format("00f067aa%08x", n);
    }

    static long ms(long millisAfterT0) {
        return T0 + millisAfterT0 * 1_000_000L;
    }

    /** A span of {@link #TRACE}, number {@code id}, child of {@code parent} (0: a root), from {@code startMs} to {@code endMs}. */
    static Span.Builder span(String name, int id, int parent, long startMs, long endMs) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(bytes(TRACE))
                .setSpanId(bytes(spanId(id)))
                .setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(ms(startMs))
                .setEndTimeUnixNano(ms(endMs));
        if (parent != 0) {
            b.setParentSpanId(bytes(spanId(parent)));
        }
        return b;
    }

    static KeyValue str(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue num(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    static KeyValue dbl(String key, double value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
    }

    static KeyValue strings(String key, String... values) {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (String v : values) {
            array.addValues(AnyValue.newBuilder().setStringValue(v));
        }
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array)).build();
    }

    /** A span event named {@code name} with those attributes (a GenAI details event, an older per-message event). */
    static Span.Event.Builder spanEvent(String name, KeyValue... attributes) {
        Span.Event.Builder event = Span.Event.newBuilder().setName(name).setTimeUnixNano(T0);
        for (KeyValue kv : attributes) {
            event.addAttributes(kv);
        }
        return event;
    }

    static Span.Builder failed(Span.Builder span, String type, String message) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(span.getEndTimeUnixNano())
                        .addAttributes(str("exception.type", type))
                        .addAttributes(str("exception.message", message)));
    }

    static Span.Builder ok(Span.Builder span) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }

    /** One resource (with {@code service.name} unless null) and one scope holding the spans, in order. */
    static ExportTraceServiceRequest request(String service, Span.Builder... spans) {
        Resource.Builder resource = Resource.newBuilder();
        if (service != null) {
            resource.addAttributes(str("service.name", service));
        }
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("test-instrumentation").setVersion("1.0"));
        for (Span.Builder s : spans) {
            scope.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    static MappedSpans map(ExportTraceServiceRequest request) {
        return new OtlpSpanMapper(TraceIdMode.TRACE).map(request);
    }

    /** All events of the mapping, every trace, in order. */
    static List<TraceEvent> events(MappedSpans mapped) {
        List<TraceEvent> all = new ArrayList<>();
        for (List<TraceEvent> events : mapped.eventsByTrace().values()) {
            all.addAll(events);
        }
        return all;
    }

    /** The events of span number {@code id}, in order. */
    static List<TraceEvent> ofSpan(MappedSpans mapped, int id) {
        return events(mapped).stream().filter(e -> spanId(id).equals(e.spanId())).toList();
    }

    /** The one event of span {@code id} with that type. */
    static TraceEvent event(MappedSpans mapped, int id, String type) {
        List<TraceEvent> found = ofSpan(mapped, id).stream().filter(e -> type.equals(e.eventType())).toList();
        if (found.size() != 1) {
            throw new AssertionError("span " + id + " has " + found.size() + " " + type + " events: " + ofSpan(mapped, id));
        }
        return found.get(0);
    }

    static List<String> types(List<TraceEvent> events) {
        return events.stream().map(TraceEvent::eventType).toList();
    }

    static Object attr(TraceEvent e, String key) {
        Map<String, Object> attributes = e.attributes();
        return attributes.get(key);
    }
}
