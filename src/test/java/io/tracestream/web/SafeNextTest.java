package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SafeNextTest {

    @Test
    void aPathOnThisServerIsKeptWithItsQuery() {
        assertEquals("/ui/traces/run-1", SafeNext.or("/ui/traces/run-1", "/"));
        assertEquals("/?status=failed&agent=a%20b", SafeNext.or("/?status=failed&agent=a%20b", "/"));
    }

    @Test
    void anythingThatCouldLeadToAnotherSiteFallsBack() {
        for (String bad : new String[] {null, "", "https://evil.example/", "//evil.example/", "/\\evil.example",
                "\\\\evil.example", "javascript:alert(1)", "ui/traces", "/ui/traces\r\nSet-Cookie: x=y", "/ a", "/\tevil"}) {
            assertEquals("/", SafeNext.or(bad, "/"), String.valueOf(bad));
        }
    }
}
