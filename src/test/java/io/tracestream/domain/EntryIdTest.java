package io.tracestream.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntryIdTest {

    @Test
    void ordersByMillisThenSequenceNumerically() {
        assertTrue(EntryId.isAfter("1000-10", "1000-9"), "10 > 9 as numbers, not as text");
        assertTrue(EntryId.isAfter("1001-0", "1000-99"));
        assertFalse(EntryId.isAfter("1000-1", "1000-1"));
        assertTrue(EntryId.isAfter("1-0", null), "every id is after the start");
        assertTrue(EntryId.isAfter("1000", "999-5"), "an id without a sequence is sequence 0");
        assertTrue(EntryId.isAfter("9999999999999999999-0", "9223372036854775807-0"),
                "19 digits past the signed range compare as Redis's unsigned 64-bit ids");
    }

    @Test
    void readsTheMillisAndSequenceOfAnIdAndRefusesWhatIsNotOne() {
        assertEquals(1732262445123L, EntryId.millis("1732262445123-7"));
        assertEquals(7, EntryId.sequence("1732262445123-7"));
        assertEquals(0, EntryId.sequence("1732262445123"));
        assertThrows(NumberFormatException.class, () -> EntryId.millis("17x2-0"));
        assertThrows(NumberFormatException.class, () -> EntryId.sequence("1-"));
        assertThrows(NumberFormatException.class, () -> EntryId.millis("-1"));
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
