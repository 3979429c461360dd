package io.tracestream.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracestream.testkit.PayaraInstance;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OTLP/HTTP exports as an SDK's batch processor sends them: {@code spans} GenAI spans (an agent
 * span, then model and tool calls under it) per protobuf request, each request a trace of its own,
 * as many as {@code threads} keep-alive connections manage in {@code seconds}.
 */
final class OtlpLoad {

    private static final String PROTOBUF = "application/x-protobuf";

    record Result(long requests, long spans, long errors, double seconds) {
        double spansPerSecond() {
            return spans / seconds;
        }
    }

    private OtlpLoad() {
    }

    static Result run(PayaraInstance target, int spans, int threads, double seconds) {
        return run(target, spans, 0, threads, seconds);
    }

    /** As above, each model call carrying a prompt of {@code promptBytes} in {@code gen_ai.input.messages} (0: none). */
    static Result run(PayaraInstance target, int spans, int promptBytes, int threads, double seconds) {
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try (HttpConn http = new HttpConn("127.0.0.1", target.port())) {
                    while (System.nanoTime() < end) {
                        // A new trace each time: the same spans again would be answered as retries.
                        int status = http.post("/v1/traces", export(spans, promptBytes).toByteArray(), PROTOBUF);
                        if (status == 200) {
                            requests.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "otlp-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double took = (System.nanoTime() - start) / 1e9;
        return new Result(requests.get(), requests.get() * spans, errors.get(), took);
    }

    /**
     * One export: an agent span and {@code spans - 1} model and tool calls under it, with GenAI
     * attributes; with {@code promptBytes}, each model call's conversation as GenAI messages.
     */
    static ExportTraceServiceRequest export(int spans, int promptBytes) {
        KeyValue input = promptBytes == 0 ? null : text("gen_ai.input.messages",
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + Load.prompt(promptBytes) + "\"}]}]");
        KeyValue output = promptBytes == 0 ? null : text("gen_ai.output.messages",
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"A short answer.\"}],\"finish_reason\":\"stop\"}]");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ByteString trace = id(16, random);
        ByteString agent = id(8, random);
        long t0 = System.currentTimeMillis() * 1_000_000L;
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 1; i < spans; i++) {
            boolean model = i % 2 == 1;
            Span.Builder span = Span.newBuilder().setTraceId(trace).setSpanId(id(8, random)).setParentSpanId(agent)
                    .setStartTimeUnixNano(t0 + i * 1_000_000L).setEndTimeUnixNano(t0 + i * 1_000_000L + 500_000L);
            if (model) {
                span.setName("chat gpt-4o").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                        .addAttributes(text("gen_ai.operation.name", "chat"))
                        .addAttributes(text("gen_ai.request.model", "gpt-4o"))
                        .addAttributes(number("gen_ai.usage.input_tokens", 1200))
                        .addAttributes(number("gen_ai.usage.output_tokens", 300));
                if (input != null) {
                    span.addAttributes(input).addAttributes(output);
                }
            } else {
                span.setName("execute_tool search").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                        .addAttributes(text("gen_ai.operation.name", "execute_tool"))
                        .addAttributes(text("gen_ai.tool.name", "search"));
            }
            scope.addSpans(span);
        }
        scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(agent).setName("invoke_agent planner")
                .setStartTimeUnixNano(t0).setEndTimeUnixNano(t0 + spans * 1_000_000L)
                .addAttributes(text("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(text("gen_ai.agent.name", "planner")));
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(text("service.name", "bench-agents")))
                .addScopeSpans(scope)).build();
    }

    private static ByteString id(int bytes, ThreadLocalRandom random) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            b.put((byte) (random.nextInt(255) + 1));
        }
        return ByteString.copyFrom(b.array());
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue number(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }
}
