package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamSettingsTest {

    @Test
    void retryHintsSpreadOverTheConfiguredSpreadAboveTheRetry() {
        StreamSettings settings = new StreamSettings(1000, 1000, 0, 65_536, 3, 5000, 2, 0);
        Set<Long> hints = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            long hint = settings.retryHint();
            assertTrue(hint >= 1000 && hint <= 2000, "hint " + hint);
            hints.add(hint);
        }
        // 500 draws from 1,001 values: a few repeats at most, never one value for all.
        assertTrue(hints.size() > 100, "hints differ: " + hints.size() + " distinct");
    }

    @Test
    void withoutASpreadEveryHintIsTheRetry() {
        StreamSettings settings = new StreamSettings(1000, 0, 0, 65_536, 3, 5000, 2, 0);
        for (int i = 0; i < 20; i++) {
            assertEquals(1000, settings.retryHint());
        }
    }
}
