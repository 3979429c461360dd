package io.tracestream.domain.guards;

import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import java.time.Instant;

/**
 * Where a run stands for the time-based guards: when it started, when it was last heard from, and
 * whether it has ended.
 *
 * <p>Two clocks, both given: event timestamps say when things happened; {@code now}, the ticks'.
 * A producer's clock may lag the server's, and an OpenTelemetry span may arrive long after its
 * timestamp, so an event counts as heard no earlier than the last tick before it: silence is measured
 * from when the server last heard from the run (to within one tick), not from a producer's clock.
 * Fed only events (a replay of a stored trace, a test), the heard time is the event time.
 *
 * <p>A run has ended when its latest {@code workflow_completed} / {@code workflow_failed} came
 * after its latest {@code workflow_started}, as the summary reads it; a trace of spans that never
 * says so is running until it does.
 */
final class RunActivity {

    private Instant startedAt;
    private String firstEventId;
    private Instant lastHeardAt;
    private Instant lastTick;
    private String lastEventId;
    private Instant lastEventAt;
    private boolean ended;

    void onEvent(TraceEvent e) {
        Instant at = e.timestamp();
        if (at != null && (startedAt == null || at.isBefore(startedAt))) {
            startedAt = at;
            firstEventId = e.id();
        }
        Instant heard = heardAt(e);
        if (heard != null && (lastHeardAt == null || heard.isAfter(lastHeardAt))) {
            lastHeardAt = heard;
        }
        lastEventId = e.id();
        lastEventAt = at;
        if (EventType.endsWorkflow(e.eventType())) {
            ended = true;
        } else if (EventType.WORKFLOW_STARTED.wireName().equals(e.eventType())) {
            ended = false;
        }
    }

    void onTick(Instant now) {
        if (lastTick == null || now.isAfter(lastTick)) {
            lastTick = now;
        }
    }

    /** When the server heard this event: its timestamp, but no earlier than the last tick. */
    Instant heardAt(TraceEvent e) {
        Instant at = e.timestamp();
        if (at == null) {
            return lastTick;
        }
        return lastTick != null && lastTick.isAfter(at) ? lastTick : at;
    }

    boolean running() {
        return lastHeardAt != null && !ended;
    }

    /** The earliest event timestamp; {@code null} before the first event. */
    Instant startedAt() {
        return startedAt;
    }

    /** The id of the event with the earliest timestamp: where the run started. */
    String firstEventId() {
        return firstEventId;
    }

    Instant lastHeardAt() {
        return lastHeardAt;
    }

    String lastEventId() {
        return lastEventId;
    }

    /** The latest event's own timestamp (what the producer said), for the evidence. */
    Instant lastEventAt() {
        return lastEventAt;
    }
}
