package io.tracestream.domain.summary;

import java.util.Locale;

/**
 * What an agent is doing now. While the workflow runs: an open step makes it {@link #WORKING};
 * else a last finished step that failed makes it {@link #FAILED}; else it is {@link #IDLE} (it may
 * be given more work). Once the workflow has ended: {@link #FAILED} if its last finished step
 * failed, or if the workflow failed while it still had a step open; else {@link #DONE}.
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
