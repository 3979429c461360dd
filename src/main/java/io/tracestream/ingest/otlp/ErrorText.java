package io.tracestream.ingest.otlp;

import io.tracestream.domain.TraceEvent.EventError;
import io.tracestream.domain.TraceEventRules;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span's error as type, message and stack trace, kept apart even where a framework ran them
 * together into one string:
 * <ul>
 * <li>LangChain's tracers record {@code message + "\n\n" + stack} as the exception's message
 *     (OpenInference's LangChain.js instrumentation: no {@code exception.type}, no
 *     {@code exception.stacktrace}); the stack's first line names the type.</li>
 * <li>The OpenAI Agents SDK's tool failures read {@code Error running tool (non-fatal): {"tool_name":
 *     ..., "error": ...}}: the error is the JSON's {@code error}, its type the class it names or
 *     else the SDK's words.</li>
 * </ul>
 * A stack trace longer than an event's text allows is cut (the end of it is the least useful part).
 */
final class ErrorText {

    /** LangGraph's control-flow signals: thrown to hand off or to pause, not failures. */
    private static final Set<String> CONTROL_FLOW = Set.of("ParentCommand", "GraphInterrupt", "NodeInterrupt");
    /** A blank line, then a stack's header ({@code TypeError: message} or a bare type) and its first frame. */
    private static final Pattern STACK = Pattern.compile("\n\n(?=([A-Za-z_$][\\w$.]*)(?::[^\n]*)?\n\\s+at )");
    private static final Pattern TYPED = Pattern.compile("([A-Za-z_$][\\w$.]*Error|Error): (.*)", Pattern.DOTALL);
    private static final Pattern SDK_WRAPPED = Pattern.compile("([^{\n]+?): (\\{.*\\})", Pattern.DOTALL);

    private ErrorText() {}

    static EventError of(String type, String message, String stacktrace) {
        if (type == null && stacktrace == null && message != null) {
            EventError split = splitStack(message);
            if (split == null) {
                split = unwrapSdk(message);
            }
            if (split != null) {
                return cut(split);
            }
        }
        return cut(new EventError(type, message, stacktrace));
    }

    /** True for an error that is a framework's way of moving on (LangGraph's {@code ParentCommand}), not a failure. */
    static boolean isControlFlow(EventError error) {
        return error != null && error.type() != null && CONTROL_FLOW.contains(error.type());
    }

    private static EventError splitStack(String text) {
        Matcher m = STACK.matcher(text);
        int at = -1;
        String header = null;
        while (m.find()) { // the last one: a message may hold a blank line of its own
            at = m.start();
            header = m.group(1);
        }
        if (at < 0) {
            return null;
        }
        String message = text.substring(0, at);
        String stack = text.substring(at + 2);
        if (message.isEmpty()) {
            String firstLine = stack.substring(0, stack.indexOf('\n'));
            int colon = firstLine.indexOf(": ");
            message = colon < 0 ? null : firstLine.substring(colon + 2);
        }
        return new EventError(header, message, stack);
    }

    private static EventError unwrapSdk(String text) {
        Matcher m = SDK_WRAPPED.matcher(text);
        if (!m.matches()) {
            return null;
        }
        return JsonText.object(m.group(2)).map(json -> {
            String error = JsonText.string(json, "error");
            if (error == null) {
                return null;
            }
            Matcher typed = TYPED.matcher(error);
            return typed.matches() ? new EventError(typed.group(1), typed.group(2), null)
                    : new EventError(m.group(1), error, null);
        }).orElse(null);
    }

    private static EventError cut(EventError e) {
        String stack = e.stacktrace();
        if (stack != null && stack.length() > TraceEventRules.MAX_TEXT_LENGTH) {
            stack = stack.substring(0, TraceEventRules.MAX_TEXT_LENGTH);
        }
        String type = e.type();
        if (type != null && type.length() > TraceEventRules.MAX_NAME_LENGTH) {
            type = type.substring(0, TraceEventRules.MAX_NAME_LENGTH);
        }
        return stack == e.stacktrace() && type == e.type() ? e : new EventError(type, e.message(), stack);
    }
}
