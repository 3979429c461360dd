package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FailureViewTest {

    static final String STACK = "Traceback (most recent call last):\n  File \"agent.py\", line 12, in run\nValueError: bad input";

    @Test
    void theFirstFailuresTypeMessageAndStackTraceStayApart() {
        StoredTrace trace = new StoredTrace()
                .add("task_started", "coder", 0, "\"span_id\":\"c\",\"task_id\":\"code\"")
                .add("task_failed", "coder", 700, "\"span_id\":\"c\",\"task_id\":\"code\",\"error\":{\"type\":\"ValueError\","
                        + "\"message\":\"bad input\",\"stacktrace\":\"" + STACK.replace("\"", "\\\"").replace("\n", "\\n") + "\"}");

        FailureView view = FailureView.of(trace.summary(800).failures(), StoredTrace.T0);

        assertEquals(new FailureView.ErrorText("ValueError", "bad input", STACK), view.error());
        assertNull(view.workflowError());
    }

    @Test
    void theWorkflowsErrorKeepsItsPartsApartToo() {
        StoredTrace trace = new StoredTrace()
                .add("workflow_started", "boss", 0, "")
                .add("workflow_failed", "boss", 500, "\"error\":{\"type\":\"Aborted\",\"message\":\"gave up\"}");

        FailureView view = FailureView.of(trace.summary(600).failures(), StoredTrace.T0);

        assertEquals(new FailureView.ErrorText("Aborted", "gave up", null), view.workflowError());
        assertNull(view.agentId());
    }
}
