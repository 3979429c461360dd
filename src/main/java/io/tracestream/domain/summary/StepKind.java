package io.tracestream.domain.summary;

import java.util.Locale;

/** What a step is: a task an agent worked on, or one call it made to an LLM or a tool. */
public enum StepKind {
    TASK,
    LLM_CALL,
    TOOL_CALL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
