package io.tracestream.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntryIdTest {

    @Test
    void ordersByMillisThenSequenceNumerically() {
        assertTrue(EntryId.isAfter("1000-10", "1000-9"), "10 > 9 as numbers, not as text");
        assertTrue(EntryId.isAfter("1001-0", "1000-99"));
        assertFalse(EntryId.isAfter("1000-1", "1000-1"));
        assertTrue(EntryId.isAfter("1-0", null), "every id is after the start");
    }

    @Test
    void acceptsRedisStreamIdsOnly() {
        assertTrue(EntryId.isValid("1732262445123-0"));
        assertTrue(EntryId.isValid("1732262445123"));
        assertFalse(EntryId.isValid("abc"));
        assertFalse(EntryId.isValid("1-2-3"));
        assertFalse(EntryId.isValid(""));
    }
}
