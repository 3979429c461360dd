package io.tracestream.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceEventTest {

    private static TraceEvent withAttributes(Map<String, Object> attributes) {
        return new TraceEvent(null, null, "tool_call", "agent-1", null, null, null, null, null, null, null, null,
                null, null, null, null, attributes);
    }

    @Test
    void attributesKeepTheProducersOrderAndCannotBeChangedThroughTheEventOrTheProducersMap() {
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("zeta", "1");
        sent.put("alpha", true);
        sent.put("mid", "x");
        TraceEvent e = withAttributes(sent);
        sent.put("later", "not part of the event");

        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(e.attributes().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> e.attributes().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> e.attributes().entrySet().iterator().next().setValue("y"));
        assertEquals(Map.of("zeta", "1", "alpha", true, "mid", "x"), e.attributes());
        assertEquals(e, withAttributes(Map.of("zeta", "1", "alpha", true, "mid", "x")));
    }

    @Test
    void copiesOfAnEventShareItsAttributesInsteadOfCopyingThemAgain() {
        TraceEvent e = withAttributes(Map.of("tool", "search"));
        TraceEvent copy = e.withTraceId("t1").withTimestamp(Instant.EPOCH).withId("1-0");

        assertSame(e.attributes(), copy.attributes());
        assertEquals(Map.of(), withAttributes(null).attributes());
        assertEquals(Map.of(), withAttributes(new LinkedHashMap<>()).attributes());
    }
}
