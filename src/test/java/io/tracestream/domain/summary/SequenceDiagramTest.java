package io.tracestream.domain.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SequenceDiagramTest {

    /** What producer text may look like once encoded: harmless characters and entity codes only. */
    private static final String SAFE_TEXT = "(?:[A-Za-z0-9 .,_\\-()/'!?+=\\[\\]]|#\\d+;)*";
    private static final Pattern SAFE_LINE = Pattern.compile("    (?:participant a\\d+ as " + SAFE_TEXT
            + "|a\\d+(?:->>|-\\)|-->>|--x)a\\d+: " + SAFE_TEXT + "|Note over a\\d+: " + SAFE_TEXT + ")");

    @Test
    void fixtureDiagramShowsCallsHandOffsMessagesRepliesAndTheFailure() {
        assertEquals("""
                sequenceDiagram
                    participant a1 as code_analyzer
                    participant a2 as planner
                    participant a3 as code_reader
                    participant a4 as strategy_writer
                    participant a5 as backtester
                    participant a6 as report_writer
                    a1->>a2: Plan the review of acme/trading-bot#58; read the code, propose a rule, backtest it
                    a2->>a3: Read src/strategy/ and summarise the signal logic
                    a2->>a4: Propose an improved entry/exit rule
                    a2->>a5: Backtest the current strategy on AAPL 2010-2024
                    Note over a5: tool load_prices failed#58; DataUnavailableError#58; No price data for AAPL before...
                    Note over a5: run-backtest failed#58; DataUnavailableError#58; No price data for AAPL before 2015...
                    a5--xa2: failed run-backtest
                    a2->>a5: Retry from 2015-01-02, the first date with data
                    a3-->>a2: done read-code
                    a3->>a4: Signal#58; 20/50 SMA crossover#59; exits on a 2x ATR stop
                    a4-->>a2: done write-strategy
                    a4->>a5: Try#58; enter on the 20/50 crossover only when ADX #62; 25
                    a5-->>a2: done run-backtest
                    a2-->>a1: done plan-analysis
                    a1-)a6: hand-off#58; Findings ready#59; write the report
                    a6-->>a1: done write-report
                """, SequenceDiagram.render(CodeAnalysisFixture.summary()));
    }

    @Test
    void hostileNamesAndTextBecomeEntityCodesThatCannotFormSyntax() {
        String diagram = SequenceDiagram.render(HostileTrace.summary());
        List<String> lines = diagram.lines().toList();

        assertEquals("sequenceDiagram", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(SAFE_LINE.matcher(line).matches(), () -> "unsafe line: " + line);
        }
        assertEquals("    participant a1 as evil#34;#59; participant x as y", lines.get(1));
        assertEquals("    participant a2 as a--#62;#62;b#58; #60;script#62;alert(1)#60;/script#62;", lines.get(2));
        assertEquals("    participant a3 as line1 line2 end", lines.get(3));
        assertEquals("    participant a9 as an-agent-with-a-name-far-longer-than-...", lines.get(9));
        assertEquals(1 + HostileTrace.AGENTS.size() + 8, lines.size());
    }

    @Test
    void longTextIsCutAndWhitespaceRunsBecomeOneSpace() {
        assertEquals("a b c", MermaidText.readable(" a\n\n b\t\r\nc ", SequenceDiagram.MAX_TEXT_LENGTH));
        assertEquals("abcdefg...", MermaidText.readable("abcdefghijklmnop", 10));
        assertEquals(MermaidText.UNNAMED, MermaidText.name(" \n ", SequenceDiagram.MAX_NAME_LENGTH));
        assertEquals("#20195;#29702; #129302;", MermaidText.encode("代理 🤖", SequenceDiagram.MAX_NAME_LENGTH));
    }
}
