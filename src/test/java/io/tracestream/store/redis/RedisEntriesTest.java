package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.StoredEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisEntriesTest {

    private static final String JSON = "{\"event_type\":\"task_started\",\"agent_id\":\"a\\nb\"}";

    @Test
    void aFanoutEntryGivesBackEveryPartEvenAnAgentIdHoldingNewlines() {
        String entry = "trace-1\n1700000000000-0\n1700000000001-0\ntask_started\n" + JSON + "\na\nb\n";
        StoredEvent e = RedisEntries.fromFanout(Map.of(RedisEntries.FANOUT_ENTRY, entry));
        assertEquals("trace-1", e.traceId());
        assertEquals("1700000000000-0", e.previousId());
        assertEquals("1700000000001-0", e.id());
        assertEquals("task_started", e.eventType());
        assertEquals("a\nb\n", e.agentId());
        assertTrue(e.json().contains("\"id\":\"1700000000001-0\""), e.json());
    }

    @Test
    void theFirstEventOfATraceHasNoPreviousId() {
        String entry = "t\n\n1-0\nworkflow_started\n{}\nagent";
        assertNull(RedisEntries.fromFanout(Map.of(RedisEntries.FANOUT_ENTRY, entry)).previousId());
    }

    @Test
    void anEntryThatIsNotOursIsSkipped() {
        assertNull(RedisEntries.fromFanout(Map.of("d", "{}")));
        assertNull(RedisEntries.fromFanout(Map.of(RedisEntries.FANOUT_ENTRY, "t\n1-0\nno more lines")));
    }
}
