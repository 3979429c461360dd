package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    @Test
    void aLiveMessageGivesBackEachEventOfTheAppendInOrderCountingLengthsInBytes() {
        String first = "t\n\n1-0\nagent_called\n{\"note\":\"caf\u00e9 \u2615\"}\nagent\n\u00e9";
        String second = "t\n1-0\n1-1\ntask_started\n" + JSON + "\na\nb";
        byte[] message = (utf8Length(first) + "\n" + first + utf8Length(second) + "\n" + second)
                .getBytes(StandardCharsets.UTF_8);
        List<StoredEvent> events = RedisEntries.fromLiveMessage(message);
        assertEquals(List.of("1-0", "1-1"), events.stream().map(StoredEvent::id).toList());
        assertEquals("agent\n\u00e9", events.get(0).agentId());
        assertEquals("1-0", events.get(1).previousId());
        assertEquals("a\nb", events.get(1).agentId());
    }

    @Test
    void aLiveMessageThatIsNotOursGivesWhatParsedBeforeIt() {
        String entry = "t\n\n1-0\nagent_called\n{}\nagent";
        assertEquals(List.of(), RedisEntries.fromLiveMessage("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), RedisEntries.fromLiveMessage("99\nshort".getBytes(StandardCharsets.UTF_8)));
        byte[] oneThenJunk = (entry.length() + "\n" + entry + "x\ny").getBytes(StandardCharsets.UTF_8);
        assertEquals(1, RedisEntries.fromLiveMessage(oneThenJunk).size());
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
