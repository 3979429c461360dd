package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testkit.SseParser.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One client's stream of list changes, without a server. */
class ListStreamTest {

    private static final StreamSettings SETTINGS = new StreamSettings(1000, 0, 0, 65_536, 2, 50, 500, 0);

    private final FakeClient client = new FakeClient();
    private final List<Boolean> closed = new ArrayList<>();
    private final ListStream stream = new ListStream(new ListFilter(null, null), client, SETTINGS,
            Instant.MAX, (s, slow) -> closed.add(slow));

    @Test
    void opensWithRetryAndACommentBeforeAnyRow() {
        stream.flush();
        assertEquals("retry: 1000\n: traces\n\n", client.text());
    }

    @Test
    void aTraceThatChangedTwiceWhileWaitingIsSentOnceWithItsNewestRow() {
        stream.flush();
        stream.add("a", SseFrame.event(null, "trace", "{\"v\":1}"));
        stream.add("b", SseFrame.event(null, "trace", "{\"v\":2}"));
        stream.add("a", SseFrame.event(null, "trace", "{\"v\":3}"));
        assertFalse(stream.flush());
        List<String> rows = client.messages().stream().map(Message::data).toList();
        assertEquals(List.of("{\"v\":2}", "{\"v\":3}"), rows);
        assertEquals(2, client.frames(), "the opening, then one write for both rows");
    }

    @Test
    void aClientThatStaysBehindPastWriteTimeoutIsDroppedAsASlowConsumer() throws InterruptedException {
        stream.flush();
        client.unsent = SETTINGS.maxUnsentBytes() + 1;
        stream.add("a", SseFrame.event(null, "trace", "{}"));
        assertTrue(stream.flush(), "behind: try again later");
        Thread.sleep(SETTINGS.writeTimeoutMillis() + 20);
        assertFalse(stream.flush());
        assertTrue(client.aborted);
        assertEquals(List.of(true), closed);
    }

    @Test
    void aClientThatLeavesEndsItsListStreamAtOnce() {
        stream.followClient();
        stream.flush();
        client.leave();
        assertTrue(stream.isClosed());
        assertEquals(List.of(false), closed);
    }

    @Test
    void aHeartbeatWritesACommentWhenNothingElseWaits() {
        stream.flush();
        stream.heartbeat();
        stream.flush();
        assertTrue(client.text().endsWith(":\n\n"));
    }

    @Test
    void aStreamOpenedWithAnExpiredSessionEndsCleanlyAtTheNextHeartbeat() {
        ListStream expired = new ListStream(new ListFilter(null, null), client, SETTINGS,
                Instant.now().minusMillis(1), (s, slow) -> closed.add(slow));
        expired.flush();
        assertFalse(expired.isClosed());
        expired.heartbeat();
        assertTrue(expired.isClosed());
        assertEquals(List.of(false), closed, "not a slow consumer: the page signs in again and resyncs");
    }
}
