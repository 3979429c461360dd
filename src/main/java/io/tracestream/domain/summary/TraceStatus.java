package io.tracestream.domain.summary;

import java.util.Locale;

/**
 * Where a workflow stands. {@link #STALLED} is {@link #RUNNING} with nothing heard for longer than
 * the summarizer's stall-after duration: the producer may have died without saying so.
 */
public enum TraceStatus {
    RUNNING,
    STALLED,
    COMPLETED,
    FAILED;

    /** The name in JSON: {@code running}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean hasEnded() {
        return this == COMPLETED || this == FAILED;
    }
}
