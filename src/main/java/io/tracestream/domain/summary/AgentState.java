package io.tracestream.domain.summary;

import java.util.Locale;

/**
 * What an agent is doing now. Decided in this order: an open step makes it {@link #WORKING}; a
 * last finished task that failed makes it {@link #FAILED}; otherwise it is {@link #DONE} once the
 * workflow has ended and {@link #IDLE} while the workflow runs (it may be given more work).
 */
public enum AgentState {
    WORKING,
    IDLE,
    DONE,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
