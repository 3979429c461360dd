package io.tracestream.testing;

import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.store.NewEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event as a JSON producer sends it, ready to append as ingest stores it (its JSON written by
 * {@link TraceEventJson#write}): {@code ProducerEvent.of(trace, "task_failed", "coder").task("t1")
 * .error("Timeout", "took too long").toNew()}. Stamped now unless {@link #at} says otherwise.
 */
public final class ProducerEvent {

    private final String traceId;
    private final String eventType;
    private final String agentId;
    private Instant timestamp = Instant.now();
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
    private String eventId;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private ProducerEvent(String traceId, String eventType, String agentId) {
        this.traceId = traceId;
        this.eventType = eventType;
        this.agentId = agentId;
    }

    public static ProducerEvent of(String traceId, String eventType, String agentId) {
        return new ProducerEvent(traceId, eventType, agentId);
    }

    /** The events as one append's batch, in the order given. */
    public static List<NewEvent> batch(ProducerEvent... events) {
        return Arrays.stream(events).map(ProducerEvent::toNew).toList();
    }

    public ProducerEvent at(Instant at) { timestamp = at; return this; }
    public ProducerEvent span(String id) { spanId = id; return this; }
    public ProducerEvent parent(String id) { parentSpanId = id; return this; }
    public ProducerEvent task(String id) { taskId = id; return this; }
    public ProducerEvent status(String s) { status = s; return this; }
    public ProducerEvent durationMs(long ms) { durationMs = ms; return this; }
    public ProducerEvent error(String type, String message) { error = new EventError(type, message); return this; }
    public ProducerEvent model(String m) { model = m; return this; }
    public ProducerEvent tokens(long input, long output) { inputTokens = input; outputTokens = output; return this; }
    public ProducerEvent cost(String usd) { costUsd = new BigDecimal(usd); return this; }
    /** The producer's idempotency key ({@code event_id}). */
    public ProducerEvent eventId(String id) { eventId = id; return this; }
    public ProducerEvent attribute(String key, Object value) { attributes.put(key, value); return this; }

    public TraceEvent build() {
        return new TraceEvent(null, traceId, eventType, agentId, timestamp, spanId, parentSpanId, taskId, status,
                durationMs, error, model, inputTokens, outputTokens, costUsd, eventId, attributes);
    }

    public NewEvent toNew() {
        return new NewEvent(eventType, agentId, eventId, TraceEventJson.write(build()));
    }
}
