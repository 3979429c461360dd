package io.tracestream.domain.summary;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the events of hand-written test traces, ids in the order built:
 * {@code TestEvent.at(5, "task_started", "a").span("s1").build()}. Shared by the tests of the domain
 * packages that fold or watch a trace's events (the summary, the run guards).
 */
public final class TestEvent {

    public static final String TRACE_ID = "test-trace";
    /** Second 0 of every hand-written trace. */
    public static final Instant T0 = Instant.parse("2025-01-20T09:00:00Z");

    private static int nextId = 1;

    private final String eventType;
    private final String agentId;
    private final Instant timestamp;
    private String spanId;
    private String parentSpanId;
    private String taskId;
    private String status;
    private Long durationMs;
    private EventError error;
    private String model;
    private Long inputTokens;
    private Long outputTokens;
    private BigDecimal costUsd;
    private CallContent content;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private TestEvent(double second, String eventType, String agentId) {
        this.timestamp = T0.plusMillis(Math.round(second * 1000));
        this.eventType = eventType;
        this.agentId = agentId;
    }

    /** An event {@code second} seconds after {@link #T0}. */
    public static TestEvent at(double second, String eventType, String agentId) {
        return new TestEvent(second, eventType, agentId);
    }

    public TestEvent span(String id) { spanId = id; return this; }
    public TestEvent parent(String id) { parentSpanId = id; return this; }
    public TestEvent task(String id) { taskId = id; return this; }
    public TestEvent status(String s) { status = s; return this; }
    public TestEvent durationMs(long ms) { durationMs = ms; return this; }
    public TestEvent error(String type, String message) { error = new EventError(type, message); return this; }
    public TestEvent model(String m) { model = m; return this; }
    public TestEvent tokens(long input, long output) { inputTokens = input; outputTokens = output; return this; }
    public TestEvent cost(String usd) { costUsd = new BigDecimal(usd); return this; }
    public TestEvent attribute(String key, Object value) { attributes.put(key, value); return this; }
    public TestEvent content(CallContent c) { content = c; return this; }

    public TraceEvent build() {
        return new TraceEvent((nextId++) + "-0", TRACE_ID, eventType, agentId, timestamp, spanId, parentSpanId,
                taskId, status, durationMs, error, model, inputTokens, outputTokens, costUsd, null, attributes, content);
    }

    /** Applies the events in the order given, with default prices (none) and stall-after. */
    static TraceSummary summarize(Instant now, TraceEvent... events) {
        TraceSummarizer summarizer = new TraceSummarizer();
        for (TraceEvent e : events) {
            summarizer.apply(e);
        }
        return summarizer.snapshot(now);
    }

    public static Instant second(double s) {
        return T0.plusMillis(Math.round(s * 1000));
    }
}
