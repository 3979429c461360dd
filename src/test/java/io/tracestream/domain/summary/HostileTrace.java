package io.tracestream.domain.summary;

import static io.tracestream.domain.summary.TestEvent.at;
import static io.tracestream.domain.summary.TestEvent.second;

import java.util.List;

/**
 * A trace whose agent names, messages and errors try every way to break out of Mermaid text:
 * statement separators, comments, directives, arrows, keywords, newlines and HTML.
 */
final class HostileTrace {

    static final String QUOTES_AND_SEMICOLON = "evil\"; participant x as y";
    static final String ARROW_AND_SCRIPT = "a-->>b: <script>alert(1)</script>";
    static final String NEWLINES_AND_KEYWORD = "line1\nline2\r\n  end";
    static final String COMMENT_AND_DIRECTIVE = "%%{init: {\"theme\": \"dark\"}}%% # not a comment";
    static final String STYLE_LOOKALIKE = "style:x#fff;";
    static final String KEYWORD = "end";
    static final String ALIAS_LOOKALIKE = "x as y";
    static final String UNICODE = "代理 🤖 agent";
    static final String LONG_NAME = "an-agent-with-a-name-far-longer-than-any-diagram-should-show";

    static final List<String> AGENTS = List.of(QUOTES_AND_SEMICOLON, ARROW_AND_SCRIPT, NEWLINES_AND_KEYWORD,
            COMMENT_AND_DIRECTIVE, STYLE_LOOKALIKE, KEYWORD, ALIAS_LOOKALIKE, UNICODE, LONG_NAME);

    static final String CALL_TEXT = "do this; then #that -->> b\nNote over a1: injected %% comment";
    static final String MESSAGE_TEXT = "<img src=x onerror=alert(1)> & \"quoted\" 'single' `tick` \\ back";
    static final String HANDOFF_REASON = "end\nloop forever\nparticipant z";
    static final String ERROR_MESSAGE = "Traceback:\n  File \"x.py\", line 3; raise ValueError('a#b')\n" + "x".repeat(200);

    private HostileTrace() {}

    /** Nine agents and eight interactions: a call, two messages, a failed task and its reply, a hand-off, a note, a failed workflow. */
    static TraceSummary summary() {
        return TestEvent.summarize(second(60),
                at(0, "workflow_started", QUOTES_AND_SEMICOLON).build(),
                at(1, "task_started", QUOTES_AND_SEMICOLON).span("root").build(),
                at(2, "agent_called", ARROW_AND_SCRIPT).span("w1").parent("root")
                        .attribute(TraceSummarizer.ATTR_MESSAGE, CALL_TEXT).build(),
                at(3, "task_started", ARROW_AND_SCRIPT).span("w1").parent("root").task("t; #1").build(),
                at(4, "message", ARROW_AND_SCRIPT).attribute(TraceSummarizer.ATTR_TO, NEWLINES_AND_KEYWORD)
                        .attribute(TraceSummarizer.ATTR_CONTENT, MESSAGE_TEXT).build(),
                at(5, "task_failed", ARROW_AND_SCRIPT).span("w1").error("Value\"Error;", ERROR_MESSAGE).build(),
                at(6, "agent_transition", COMMENT_AND_DIRECTIVE).attribute(TraceSummarizer.ATTR_FROM, STYLE_LOOKALIKE)
                        .attribute(TraceSummarizer.ATTR_TO, KEYWORD).attribute(TraceSummarizer.ATTR_REASON, HANDOFF_REASON).build(),
                at(7, "message", ALIAS_LOOKALIKE).attribute(TraceSummarizer.ATTR_TO, UNICODE)
                        .attribute(TraceSummarizer.ATTR_CONTENT, "").build(),
                at(8, "message", LONG_NAME).attribute(TraceSummarizer.ATTR_CONTENT, "%%").build(),
                at(9, "workflow_failed", QUOTES_AND_SEMICOLON).error("Crash", "</script><script>alert(2)</script>").build());
    }
}
