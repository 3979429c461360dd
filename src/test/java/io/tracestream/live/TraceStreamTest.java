package io.tracestream.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.NewEvent;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.memory.MemoryEventStore;
import io.tracestream.store.memory.MemoryEventStoreTest.ManualClock;
import io.tracestream.testkit.SseParser.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One client's stream of a trace, without a server: the real in-memory store, a client that keeps
 * what reached the wire and whose unread bytes the test sets, and writing tasks run when
 * the test says.
 */
class TraceStreamTest {

    private static final String TRACE = "t1";
    /** No grace: the end comes as soon as the workflow's end is written (the grace has tests of its own). */
    private static final StreamSettings SETTINGS = new StreamSettings(1000, 0, 0, 65_536, 3, 5000, 2, 0);
    private static final long GRACE = 2000;
    private static final StreamSettings WITH_GRACE = new StreamSettings(1000, 0, 0, 65_536, 3, 5000, 2, GRACE);

    /** The store's clock and the stream's: the grace tests move it by hand. */
    private final ManualClock clock = new ManualClock();
    private final MemoryEventStore store = new MemoryEventStore(1000, Duration.ofHours(1), Duration.ofMinutes(10), clock);
    private final ManualExecutor writer = new ManualExecutor();
    private final FakeClient client = new FakeClient();
    private final Recorder listener = new Recorder();

    @Test
    void sendsTheOpeningCommentThenTheHistoryWithRetryOnTheFirstEvent() {
        List<String> ids = append("agent_called", "task_started", "task_completed");
        stream(null).start();
        writer.runAll();
        assertTrue(client.text().startsWith(": trace " + TRACE + "\n\n"), client.text());
        List<Message> got = client.messages();
        assertEquals(ids, got.stream().map(Message::id).toList());
        assertEquals(1000L, got.get(0).retry());
        assertNull(got.get(1).retry());
        assertEquals(List.of(false, false, false), listener.live);
    }

    @Test
    void liveEventsQueuedDuringTheReplayAreSentOnceAfterIt() {
        List<String> before = append("agent_called", "task_started");
        TraceStream s = stream(null);
        s.start(); // registered, not run yet: the history is read later
        List<StoredEvent> during = storeEvents("llm_call", "tool_call");
        s.deliver(live(during)); // the dispatcher's copy of what the replay will also read
        List<StoredEvent> after = storeEvents("task_completed");
        s.deliver(live(after));
        writer.runAll();
        List<String> expected = new ArrayList<>(before);
        during.forEach(e -> expected.add(e.id()));
        expected.add(after.get(0).id());
        assertEquals(expected, client.messages().stream().map(Message::id).toList(), "no gap, no duplicate at the seam");
    }

    @Test
    void liveBatchDeliveredByTheDispatcherIsWrittenOnItsThreadOnceTheHistoryIsOut() {
        append("agent_called");
        TraceStream s = stream(null);
        s.start();
        writer.runAll();
        List<StoredEvent> next = storeEvents("task_started");
        s.deliver(live(next));
        assertEquals(0, writer.pending(), "no task for the writer pool");
        assertEquals(next.get(0).id(), client.messages().get(1).id(), "written before deliver returned");
    }

    @Test
    void batchDeliveredDuringTheReplayWaitsForTheWritingTask() {
        List<String> before = append("agent_called");
        TraceStream s = stream(null);
        s.start(); // the task that writes the history has not run yet
        List<StoredEvent> during = storeEvents("task_started");
        s.deliver(live(during));
        assertEquals("", client.text(), "the dispatcher does not read the history");
        writer.runAll();
        assertEquals(List.of(before.get(0), during.get(0).id()), client.messages().stream().map(Message::id).toList());
    }

    @Test
    void streamWithASummaryLeavesLiveBatchesToTheWriterPool() {
        append("agent_called");
        TraceStream s = stream(null, e -> true, () -> Optional.of("{}"));
        s.start();
        writer.runAll();
        int framesBefore = client.frames();
        s.deliver(live(storeEvents("task_started")));
        assertEquals(framesBefore, client.frames(), "each client's summary is written on the pool");
        writer.runAll();
        assertEquals(framesBefore + 1, client.frames());
    }

    @Test
    void resumesAfterLastEventIdWithoutRepeatingIt() {
        List<String> ids = append("agent_called", "task_started", "task_completed");
        stream(ids.get(0)).start();
        writer.runAll();
        assertEquals(ids.subList(1, 3), client.messages().stream().map(Message::id).toList());
    }

    @Test
    void readsAGapInTheLiveEventsFromTheHistory() {
        append("agent_called");
        TraceStream s = stream(null);
        s.start();
        writer.runAll();
        List<StoredEvent> missed = storeEvents("task_started");
        List<StoredEvent> next = storeEvents("task_completed");
        s.deliver(live(next)); // the fan-out never brought "missed": next names it as its predecessor
        writer.runAll();
        List<String> got = client.messages().stream().map(Message::id).toList();
        assertEquals(List.of(missed.get(0).id(), next.get(0).id()), got.subList(1, 3));
        assertEquals(List.of(false, true, true), listener.live, "gap and live events count as live");
    }

    @Test
    void holdsWritesWhileTheClientIsBehindAndSendsThemInOneFrameWhenItCatchesUp() {
        append("agent_called");
        TraceStream s = stream(null);
        s.start();
        writer.runAll();
        int framesBefore = client.frames();
        client.unsent = SETTINGS.maxUnsentBytes() + 1;
        s.deliver(live(storeEvents("task_started")));
        s.deliver(live(storeEvents("task_completed")));
        writer.runAll();
        assertEquals(framesBefore, client.frames(), "nothing written to a client that is behind");
        assertTrue(s.behindSince() > 0);
        assertFalse(listener.behind.isEmpty(), "the registry is told to try again");
        client.unsent = 0;
        s.retry();
        writer.runAll();
        assertEquals(framesBefore + 1, client.frames(), "what waited goes out in one write");
        assertEquals(3, client.messages().size());
        assertEquals(0, s.behindSince());
    }

    @Test
    void dropsAClientWhoseQueueOverflowsAsASlowConsumer() {
        TraceStream s = stream(null);
        s.start(); // never run: the client never takes anything
        for (int i = 0; i < SETTINGS.maxBuffered() + 2; i++) {
            s.deliver(live(storeEvents("llm_call")));
        }
        assertEquals(1, listener.overflowed, "told once, however many batches overflow");
        s.abortStalled(); // what the registry does, off the dispatcher's thread
        writer.runAll();
        assertTrue(client.aborted, "the connection is closed, freeing what the server queued");
        assertTrue(client.isClosed());
        assertEquals(List.of(true), listener.closed, "closed as a slow consumer");
    }

    @Test
    void endsTheStreamWithAnEndEventAfterTheWorkflowEnds() {
        List<String> ids = append("workflow_started", "workflow_completed");
        stream(null).start();
        writer.runAll();
        List<Message> got = client.messages();
        Message end = got.get(got.size() - 1);
        assertEquals("end", end.event());
        assertEquals("{\"trace_id\":\"t1\",\"last_event_id\":\"" + ids.get(1) + "\"}", end.data());
        assertTrue(client.isClosed());
        assertEquals(List.of(false), listener.closed);
    }

    @Test
    void aFilterHidesEventsButTheEndStillComes() {
        List<String> ids = append("llm_call", "tool_call", "workflow_completed");
        stream(null, e -> e.eventType().equals("tool_call"), null).start();
        writer.runAll();
        List<Message> got = client.messages();
        assertEquals(List.of(ids.get(1)), got.stream().filter(m -> m.event() == null).map(Message::id).toList());
        assertEquals("end", got.get(got.size() - 1).event());
    }

    @Test
    void sendsTheSummaryAfterTheReplayAndAfterEachBatch() {
        append("agent_called");
        int[] asked = {0};
        TraceStream s = stream(null, e -> true, () -> Optional.of("{\"n\":" + (++asked[0]) + "}"));
        s.start();
        writer.runAll();
        s.deliver(live(storeEvents("task_started")));
        writer.runAll();
        List<String> summaries = client.messages().stream().filter(m -> "summary".equals(m.event())).map(Message::data).toList();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), summaries);
    }

    @Test
    void aHeartbeatWritesACommentAndFindsADepartedClient() {
        append("agent_called");
        TraceStream s = stream(null);
        s.start();
        writer.runAll();
        s.heartbeat();
        writer.runAll();
        assertTrue(client.text().endsWith(":\n\n"), client.text());
        client.gone = true; // the client went away without a word
        s.heartbeat();
        writer.runAll();
        assertTrue(s.isClosed());
        assertEquals(List.of(false), listener.closed);
    }

    @Test
    void aClientThatLeavesEndsItsStreamAtOnceWithoutWaitingForAWrite() {
        append("agent_called");
        TraceStream s = stream(null);
        s.followClient();
        s.start();
        writer.runAll();
        client.leave();
        assertTrue(s.isClosed(), "ended when the client left, not at the next heartbeat");
        assertEquals(List.of(false), listener.closed, "not a slow consumer: it may come back and resume");
        assertTrue(client.closed);
    }

    @Test
    void aClientThatLeftBeforeItsStreamWasFollowedEndsItAsSoonAsItIs() {
        TraceStream s = stream(null);
        client.leave();
        assertFalse(s.isClosed(), "nobody could have been told yet");
        s.followClient();
        assertTrue(s.isClosed());
        assertEquals(List.of(false), listener.closed);
    }

    @Test
    void aStreamThatLivedItsMaximumEndsCleanlyAtTheNextHeartbeat() throws InterruptedException {
        StreamSettings oneMilli = new StreamSettings(1000, 0, 1, 65_536, 3, 5000, 2, 0);
        append("agent_called");
        TraceStream s = new TraceStream(TRACE, null, null, null, null, client, store, writer, e -> true, oneMilli,
                Instant.MAX, clock, listener);
        s.start();
        writer.runAll();
        Thread.sleep(5);
        s.heartbeat();
        writer.runAll();
        assertTrue(s.isClosed());
        assertEquals(List.of(false), listener.closed, "not a slow consumer: it resumes by Last-Event-ID");
    }

    @Test
    void aStreamOpenedWithASessionEndsCleanlyAtTheFirstHeartbeatAfterTheSessionExpired() throws InterruptedException {
        append("agent_called");
        TraceStream s = new TraceStream(TRACE, null, null, null, null, client, store, writer, e -> true, SETTINGS,
                Instant.now().plusMillis(30), clock, listener);
        s.start();
        writer.runAll();
        s.heartbeat();
        writer.runAll();
        assertFalse(s.isClosed(), "the session is still valid");
        Thread.sleep(40);
        s.heartbeat();
        writer.runAll();
        assertTrue(s.isClosed());
        assertEquals(List.of(false), listener.closed, "not a slow consumer: it signs in again and resumes by Last-Event-ID");
    }

    @Test
    void theEndWaitsUntilNothingArrivedForTheGraceSoTheRootSpansLateChildrenAreSentFirst() {
        append("workflow_started", "workflow_completed"); // the root span, exported before its last children
        TraceStream s = withGrace(null, null);
        s.start();
        writer.runAll();
        assertFalse(client.isClosed(), "no end at the root's end");
        assertEquals(List.of(GRACE), listener.settleIn, "asks to look again once the grace is over");
        clock.now = clock.now.plusMillis(1000);
        List<StoredEvent> late = storeEvents("llm_call", "task_completed"); // a concurrent export, a second later
        s.deliver(live(late));
        writer.runAll();
        clock.now = clock.now.plusMillis(1500);
        s.settle(); // the first look: the late children restarted the grace
        writer.runAll();
        assertFalse(client.isClosed());
        assertEquals(List.of(GRACE, 500L), listener.settleIn);
        clock.now = clock.now.plusMillis(500);
        s.settle();
        writer.runAll();
        assertEquals("end", last().event());
        assertEquals("{\"trace_id\":\"t1\",\"last_event_id\":\"" + late.get(1).id() + "\"}", last().data());
        assertEquals(4, client.messages().stream().filter(m -> m.event() == null).count(), "every event before the end");
        assertTrue(client.isClosed());
    }

    @Test
    void aClientOpeningAFinishedTraceWhoseLastEventIsNotTheEndGetsTheEndAtOnce() {
        append("workflow_started", "workflow_completed", "tool_call");
        clock.now = clock.now.plusMillis(GRACE);
        withGrace(null, null).start();
        writer.runAll();
        assertEquals("end", last().event());
        assertTrue(client.isClosed());
        assertEquals(List.of(), listener.settleIn, "finished already: nothing to wait for");
    }

    @Test
    void aClientResumingAfterTheLastEventOfAnEndedTraceGetsTheEndOnceTheGraceIsOver() {
        List<String> ids = append("workflow_completed", "tool_call");
        TraceStream s = withGrace(ids.get(1), ids.get(0)); // the head names the end; the client has everything
        s.start();
        writer.runAll();
        assertFalse(client.isClosed());
        clock.now = clock.now.plusMillis(GRACE);
        s.settle();
        writer.runAll();
        assertEquals("end", last().event());
    }

    @Test
    void aStreamWhoseLifetimeIsOverWhileTheTracesEndIsDueEndsWithThatEndNotWithoutIt() throws InterruptedException {
        StreamSettings shortLived = new StreamSettings(1000, 0, 1, 65_536, 3, 5000, 2, GRACE);
        append("workflow_started", "workflow_completed");
        TraceStream s = new TraceStream(TRACE, null, null, null, null, client, store, writer, e -> true,
                shortLived, Instant.MAX, clock, listener);
        s.start();
        writer.runAll();
        Thread.sleep(5);
        s.heartbeat(); // the lifetime is over, during the end's grace
        writer.runAll();
        assertFalse(client.isClosed(), "a client resuming now would get a 204 and never the end");
        clock.now = clock.now.plusMillis(GRACE);
        s.settle();
        writer.runAll();
        assertEquals("end", last().event());
        assertTrue(client.isClosed());
    }

    @Test
    void aWorkflowStartedAgainAfterItsEndRunsOnAndDoesNotEndTheStream() {
        append("workflow_completed", "workflow_started");
        clock.now = clock.now.plusMillis(GRACE);
        withGrace(null, null).start();
        writer.runAll();
        assertFalse(client.isClosed());
        assertEquals(List.of(), listener.settleIn);
    }

    @Test
    void saysWhenTheResumePointFellOffTheHistory() {
        List<String> ids = append("agent_called", "task_started");
        stream("1-0", ids.get(0)).start();
        writer.runAll();
        Message notice = client.messages().get(0);
        assertEquals("history-truncated", notice.event());
        assertEquals("{\"requested_after\":\"1-0\",\"replay_from\":\"" + ids.get(0)
                + "\",\"reason\":\"older events were trimmed from the history\"}", notice.data());
    }

    private TraceStream stream(String resumeAfter) {
        return stream(resumeAfter, null);
    }

    private TraceStream stream(String resumeAfter, String truncatedFrom) {
        return new TraceStream(TRACE, resumeAfter, truncatedFrom, null, null, client, store, writer, e -> true, SETTINGS,
                Instant.MAX, clock, listener);
    }

    private TraceStream stream(String resumeAfter, Predicate<StoredEvent> filter, Supplier<Optional<String>> summary) {
        return new TraceStream(TRACE, resumeAfter, null, null, summary, client, store, writer, filter, SETTINGS,
                Instant.MAX, clock, listener);
    }

    /** A stream with the end's grace, resuming after {@code resumeAfter} of a trace whose head names {@code workflowEnd}. */
    private TraceStream withGrace(String resumeAfter, String workflowEnd) {
        return new TraceStream(TRACE, resumeAfter, null, workflowEnd, null, client, store, writer, e -> true,
                WITH_GRACE, Instant.MAX, clock, listener);
    }

    private Message last() {
        List<Message> got = client.messages();
        return got.get(got.size() - 1);
    }

    private List<String> append(String... types) {
        return storeEvents(types).stream().map(StoredEvent::id).toList();
    }

    /** Appends events, one call each, and answers them as the store's live listeners got them. */
    private List<StoredEvent> storeEvents(String... types) {
        List<StoredEvent> stored = new ArrayList<>();
        for (String type : types) {
            String id = store.append(TRACE, List.of(new NewEvent(type, "a", null,
                    "{\"trace_id\":\"t1\",\"event_type\":\"" + type + "\",\"agent_id\":\"a\"}"))).ids().get(0);
            stored.add(store.read(TRACE, previous(id), 1).get(0));
        }
        return stored;
    }

    private String previous(String id) {
        List<StoredEvent> all = store.read(TRACE, null, 10_000);
        String before = null;
        for (StoredEvent e : all) {
            if (e.id().equals(id)) {
                return before;
            }
            before = e.id();
        }
        throw new AssertionError(id + " not stored");
    }

    private static List<LiveEvent> live(List<StoredEvent> events) {
        return events.stream().map(LiveEvent::of).toList();
    }

    /** What the registry would be told. */
    private static final class Recorder implements TraceStream.Listener {
        final List<Boolean> live = new ArrayList<>();
        final List<TraceStream> behind = new ArrayList<>();
        final List<Boolean> closed = new ArrayList<>();
        final List<Long> settleIn = new ArrayList<>();
        int overflowed;

        @Override
        public void settleLater(TraceStream stream, long delayMillis) {
            settleIn.add(delayMillis);
        }

        @Override
        public void delivered(StoredEvent event, boolean isLive) {
            live.add(isLive);
        }

        @Override
        public void overflowed(TraceStream stream) {
            overflowed++;
        }

        @Override
        public void behind(TraceStream stream) {
            behind.add(stream);
        }

        @Override
        public void closed(TraceStream stream, boolean slowConsumer) {
            closed.add(slowConsumer);
        }
    }
}
