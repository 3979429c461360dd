package io.tracestream.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.TraceEventRules;
import org.junit.jupiter.api.Test;

class ErrorTextTest {

    private static final String STACK = "TypeError: Cannot read properties of undefined\n"
            + "    at tool.fn (file:///app/tools.mjs:12:5)\n    at process.processTicksAndRejections (node:internal)";

    @Test
    void langChainsMessageAndStackRunTogetherAreSplitIntoTypeMessageAndStack() {
        EventError e = ErrorText.of(null, "Cannot read properties of undefined\n\n" + STACK, null);
        assertEquals("TypeError", e.type());
        assertEquals("Cannot read properties of undefined", e.message());
        assertEquals(STACK, e.stacktrace());
    }

    @Test
    void aBlankLineInsideTheMessageIsNotTakenForTheStack() {
        String message = "Recursion limit reached\n\nTroubleshooting URL: https://docs.langchain.com/oss/errors";
        EventError e = ErrorText.of(null, message + "\n\n" + "GraphRecursionError: Recursion limit reached\n    at run (x.js:1:1)", null);
        assertEquals("GraphRecursionError", e.type());
        assertEquals(message, e.message());
    }

    @Test
    void aSignalWithAnEmptyMessageTakesItsTypeFromTheStackAndIsControlFlow() {
        EventError e = ErrorText.of(null, "\n\nParentCommand\n    at RunnableCallable._controlBranch (state.js:775:47)", null);
        assertEquals("ParentCommand", e.type());
        assertNull(e.message());
        assertTrue(ErrorText.isControlFlow(e));
        assertFalse(ErrorText.isControlFlow(new EventError("Error", "ParentCommand")));
    }

    @Test
    void theOpenAiAgentsSdksToolFailureIsItsJsonsError() {
        EventError redacted = ErrorText.of(null, "Error running tool (non-fatal): "
                + "{\"tool_name\":\"book_hotel\",\"error\":\"Tool execution failed. Error details are redacted.\"}", null);
        assertEquals("Error running tool (non-fatal)", redacted.type());
        assertEquals("Tool execution failed. Error details are redacted.", redacted.message());
        EventError typed = ErrorText.of(null, "Error in agent run: {\"error\":\"ToolCallError: Failed to run function tools\"}", null);
        assertEquals("ToolCallError", typed.type());
        assertEquals("Failed to run function tools", typed.message());
    }

    @Test
    void anErrorThatSaysItsPartsItselfIsKeptAndAnOverlongStackIsCut() {
        EventError plain = ErrorText.of("ValueError", "bad input\n\nnot a stack", null);
        assertEquals(new EventError("ValueError", "bad input\n\nnot a stack", null), plain);
        EventError huge = ErrorText.of("E", "m", "x".repeat(TraceEventRules.MAX_TEXT_LENGTH + 10));
        assertEquals(TraceEventRules.MAX_TEXT_LENGTH, huge.stacktrace().length());
    }
}
