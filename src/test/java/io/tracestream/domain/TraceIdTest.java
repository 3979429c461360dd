package io.tracestream.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TraceIdTest {

    @Test
    void acceptsOneTo128OfTheAllowedCharacters() {
        assertTrue(TraceId.isValid("abc123def456"));
        assertTrue(TraceId.isValid("a"));
        assertTrue(TraceId.isValid("session:2025-01-20_run.7"));
        assertTrue(TraceId.isValid("x".repeat(128)));
    }

    @Test
    void rejectsEmptyTooLongAndOtherCharacters() {
        assertFalse(TraceId.isValid(null));
        assertFalse(TraceId.isValid(""));
        assertFalse(TraceId.isValid("x".repeat(129)));
        for (String bad : new String[] {"a b", "a/b", "a{b}", "é", "a\nb", "<script>"}) {
            assertFalse(TraceId.isValid(bad), bad);
        }
    }

    @Test
    void mintedIdsAreValidW3cSizedAndDistinct() {
        String a = TraceId.mint();
        assertTrue(a.matches("[0-9a-f]{32}"), a);
        assertTrue(TraceId.isValid(a));
        assertNotEquals(a, TraceId.mint());
    }
}
