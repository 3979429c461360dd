package io.tracestream.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.domain.EntryId;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.testing.ProducerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The promises of the store port ({@link EventStore}, with {@link StoreHealth} and {@link
 * WorkflowActivity}), proved at the port, not over HTTP: each adapter's test extends this class and
 * hands it a store set up with {@link #HISTORY_CAP}, {@link #TTL} and {@link #DEDUP_WINDOW}, whose
 * two shares it has subscribed with {@link #subscribeRecorders}. Every test works on traces of its
 * own, so a store may be shared by the tests of a class.
 *
 * <p>Live delivery may be asynchronous (Redis pub/sub and its shared reader, the in-memory
 * store's hand-off executor): what must arrive is waited for up to {@link #WAIT}; that nothing
 * arrives is concluded only after {@link #QUIET}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EventStoreContract {

    /** Events a trace keeps: exact in memory, at least this many in Redis ({@code MAXLEN ~}). */
    protected static final long HISTORY_CAP = 200;
    protected static final Duration TTL = Duration.ofMinutes(10);
    protected static final Duration DEDUP_WINDOW = Duration.ofMinutes(5);
    /** How long what must arrive is waited for: generous, the machine is shared and its speed swings. */
    protected static final Duration WAIT = Duration.ofSeconds(10);
    /** How long nothing must arrive before the test concludes that nothing will. */
    private static final Duration QUIET = Duration.ofMillis(1500);
    /** Last unwatches met by a new watch of the same trace: enough for a rare interleaving to show. */
    private static final int REWATCH_ROUNDS = 500;

    /** The {@link Share#WATCHED_TRACES} listener. */
    private final LiveRecorder watched = new LiveRecorder();
    /** The {@link Share#ONCE_PER_EVENT} listener: with one instance, it hears every event. */
    private final LiveRecorder everyEvent = new LiveRecorder();
    private final ExecutorService appenders = Executors.newFixedThreadPool(4);

    protected abstract EventStore store();

    protected abstract StoreHealth health();

    protected abstract WorkflowActivity activity();

    /** What {@link StoreHealth#name()} must answer. */
    protected abstract String expectedName();

    /** The store's clock, in epoch ms: what its ids start with. */
    protected abstract long nowMillis();

    /** Moves the store's clock forward; false, moving nothing, when the adapter keeps its own clock. */
    protected abstract boolean moveClock(Duration by);

    /** Returns once the store's clock has passed at least one millisecond. */
    protected abstract void nextMillisecond();

    /** Subscribes {@link #watched} and {@link #everyEvent}: the subclass calls it once per store it makes. */
    protected final void subscribeRecorders(EventStore store) {
        store.subscribe(Share.WATCHED_TRACES, watched);
        store.subscribe(Share.ONCE_PER_EVENT, everyEvent);
    }

    @AfterAll
    void stopAppenders() {
        appenders.shutdownNow();
    }

    // ---- append: ids, answers, atomicity ------------------------------------------------------

    @Test
    void idsIncreaseStrictlyWithinABatchAndAcrossAppends() {
        String trace = newTrace();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.addAll(store().append(trace, events(trace, "step", 3)).ids());
        }
        assertEquals(15, ids.size());
        assertStrictlyIncreasing(ids);
    }

    @Test
    void theAnswerGivesEachEventItsIdInRequestOrder() {
        String trace = newTrace();
        List<NewEvent> batch = List.of(event(trace, "workflow_started", "a"), event(trace, "agent_called", "b"),
                event(trace, "tool_call", "c"), event(trace, "llm_call", "d"));
        AppendResult result = store().append(trace, batch);

        assertEquals(4, result.stored());
        Map<String, StoredEvent> byId = new HashMap<>();
        store().read(trace, null, 100).forEach(e -> byId.put(e.id(), e));
        for (int i = 0; i < batch.size(); i++) {
            StoredEvent stored = byId.get(result.ids().get(i));
            assertNotNull(stored, "answered id " + i + " is stored");
            assertEquals(batch.get(i).eventType(), stored.eventType());
            assertEquals(batch.get(i).agentId(), stored.agentId());
        }
    }

    @Test
    void aStoredEventReadsBackAsAppendedWithItsIdFirstInItsJsonAndItsStorageTimeInItsId() {
        String trace = newTrace();
        // An agent id with a newline and text outside ASCII: the Redis adapter's live entries are lines.
        NewEvent sent = ProducerEvent.of(trace, "message", "agent\nwith a newline, é ✓ 😀").task("t-1")
                .attribute("message", "line one\nline two").toNew();
        long before = nowMillis();
        String id = store().append(trace, List.of(sent)).ids().get(0);
        long after = nowMillis();

        StoredEvent stored = store().read(trace, null, 10).get(0);
        assertEquals(new StoredEvent(id, null, trace, sent.eventType(), sent.agentId(), TraceEventJson.withId(id, sent.json())),
                stored);
        assertEquals(id, TraceEventJson.readStored(stored.json()).id());
        assertTrue(stored.storedAtMillis() >= before && stored.storedAtMillis() <= after,
                "stored at " + stored.storedAtMillis() + ", between " + before + " and " + after);
    }

    @Test
    void eachStoredEventNamesTheOneBeforeItInItsTrace() {
        String trace = newTrace();
        store().append(trace, events(trace, "step", 3));
        store().append(trace, events(trace, "step", 2));

        List<StoredEvent> history = store().read(trace, null, 100);
        assertEquals(5, history.size());
        assertNull(history.get(0).previousId(), "the first has none");
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).id(), history.get(i).previousId());
        }
    }

    @Test
    void concurrentAppendsToOneTraceAreEachStoredWholeAndTheirAnswersMatchTheHistory() throws Exception {
        String trace = newTrace();
        int writers = 4;
        int appendsEach = 10;
        int batchSize = 4;
        List<Future<List<AppendResult>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(appenders.submit(() -> {
                List<AppendResult> mine = new ArrayList<>();
                for (int n = 0; n < appendsEach; n++) {
                    String batchName = "w" + writer + "-" + n;
                    mine.add(store().append(trace, IntStream.range(0, batchSize)
                            .mapToObj(i -> event(trace, "step", batchName)).toList()));
                }
                return mine;
            }));
        }
        List<AppendResult> answers = new ArrayList<>();
        for (Future<List<AppendResult>> f : results) {
            answers.addAll(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        Map<String, String> agentById = new HashMap<>();
        List<StoredEvent> history = store().read(trace, null, 1000);
        history.forEach(e -> agentById.put(e.id(), e.agentId()));
        assertEquals(writers * appendsEach * batchSize, history.size());
        for (AppendResult answer : answers) {
            // The batch's events are neighbours in the history: nothing came between them.
            int at = indexOf(history, answer.ids().get(0));
            String batchName = agentById.get(answer.ids().get(0));
            for (int i = 0; i < batchSize; i++) {
                assertEquals(answer.ids().get(i), history.get(at + i).id());
                assertEquals(batchName, history.get(at + i).agentId());
            }
        }
        assertStrictlyIncreasing(history.stream().map(StoredEvent::id).toList());
    }

    // ---- dedup ----------------------------------------------------------------------------------

    @Test
    void aDuplicateEventIdWithinTheWindowAnswersTheOriginalIdAndIsNotStoredOrAnnouncedAgain() {
        String trace = newTrace();
        String original = store().append(trace, List.of(keyed(trace, "k1"))).ids().get(0);

        AppendResult again = store().append(trace, List.of(event(trace, "before", "a"), keyed(trace, "k1"),
                keyed(trace, "k2")));
        assertEquals(original, again.ids().get(1), "the original id, in its place in the answer");
        assertEquals(2, again.stored(), "the duplicate is not counted as stored");
        assertTrue(EntryId.isAfter(again.ids().get(2), again.ids().get(0)));

        List<StoredEvent> history = store().read(trace, null, 100);
        assertEquals(List.of(original, again.ids().get(0), again.ids().get(2)), ids(history));

        // The trace's events reach the listener in order: once the last one has, the duplicate would have.
        List<StoredEvent> heard = everyEvent.awaitId(trace, again.ids().get(2));
        assertEquals(history, heard, "announced once each");
    }

    @Test
    void aDuplicateWithinOneBatchAnswersTheFirstOnesId() {
        String trace = newTrace();
        AppendResult result = store().append(trace, List.of(keyed(trace, "same"), keyed(trace, "same")));
        assertEquals(result.ids().get(0), result.ids().get(1));
        assertEquals(1, result.stored());
        assertEquals(1, store().read(trace, null, 10).size());
    }

    @Test
    void theSameEventIdInAnotherTraceIsAnotherEvent() {
        String one = newTrace();
        String other = newTrace();
        store().append(one, List.of(keyed(one, "k")));
        AppendResult result = store().append(other, List.of(keyed(other, "k")));
        assertEquals(1, result.stored());
        assertEquals(result.ids(), ids(store().read(other, null, 10)));
    }

    @Test
    void eventsWithoutAnEventIdAreNeverTakenForDuplicates() {
        String trace = newTrace();
        NewEvent same = event(trace, "step", "a");
        assertEquals(2, store().append(trace, List.of(same, same)).stored());
        assertEquals(1, store().append(trace, List.of(same)).stored());
        assertEquals(3, store().read(trace, null, 10).size());
    }

    @Test
    void anEventIdIsANewEventAgainOnceTheWindowHasPassed() {
        String trace = newTrace();
        String first = store().append(trace, List.of(keyed(trace, "k"))).ids().get(0);
        assumeTrue(moveClock(DEDUP_WINDOW.plusSeconds(1)),
                "this adapter's dedup window runs on its server's clock, which a test cannot move");

        AppendResult later = store().append(trace, List.of(keyed(trace, "k")));
        assertEquals(1, later.stored());
        assertTrue(EntryId.isAfter(later.ids().get(0), first));
        assertEquals(2, store().read(trace, null, 10).size());
    }

    // ---- read -----------------------------------------------------------------------------------

    @Test
    void readAfterAnIdAnswersTheLaterEventsOldestFirst() {
        String trace = newTrace();
        List<String> ids = store().append(trace, events(trace, "step", 5)).ids();
        assertEquals(ids.subList(2, 5), ids(store().read(trace, ids.get(1), 100)));
        assertEquals(ids, ids(store().read(trace, null, 100)), "null: from the start");
        assertEquals(List.of(), store().read(trace, ids.get(4), 100), "nothing after the last");
    }

    @Test
    void readAnswersAtMostTheLimitAndPagesThroughTheWholeHistory() {
        String trace = newTrace();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.addAll(store().append(trace, events(trace, "step", 6)).ids());
        }
        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        while (true) {
            List<StoredEvent> page = store().read(trace, after, 5);
            assertTrue(page.size() <= 5);
            paged.addAll(ids(page));
            pages++;
            if (page.size() < 5) {
                break;
            }
            after = page.get(page.size() - 1).id();
        }
        assertEquals(ids, paged);
        assertEquals(5, pages, "24 events in pages of 5");
    }

    @Test
    void readAfterAnIdThatIsNotInTheHistoryAnswersWhatFollowsIt() {
        String trace = newTrace();
        List<String> ids = new ArrayList<>(store().append(trace, events(trace, "step", 1)).ids());
        nextMillisecond();
        ids.addAll(store().append(trace, events(trace, "step", 2)).ids());
        assertEquals(ids, ids(store().read(trace, "0-0", 10)), "an id before every event");
        assertEquals(ids, ids(store().read(trace, "1", 10)), "an id without its sequence");
        String between = EntryId.millis(ids.get(0)) + "-" + (EntryId.sequence(ids.get(0)) + 1);
        assertEquals(ids.subList(1, 3), ids(store().read(trace, between, 10)), "after " + between);
        assertEquals(List.of(), store().read(trace, "9999999999999999999-9999999999999999999", 10),
                "the greatest id a client may send (past 2^63): nothing follows it");
    }

    @Test
    void anUnknownTraceHasNoHistoryAndNoHead() {
        String trace = newTrace();
        assertEquals(List.of(), store().read(trace, null, 10));
        assertEquals(List.of(), store().read(trace, "1-0", 10));
        assertTrue(store().head(trace).isEmpty());
    }

    // ---- head -----------------------------------------------------------------------------------

    @Test
    void theHeadNamesTheFirstAndLastEventsOfARunningUntrimmedTrace() {
        String trace = newTrace();
        List<String> ids = store().append(trace, events(trace, "workflow_started", 1)).ids();
        List<String> more = store().append(trace, events(trace, "step", 3)).ids();

        TraceHead head = store().head(trace).orElseThrow();
        assertEquals(new TraceHead(ids.get(0), more.get(2), null, null), head);
        assertFalse(head.ended());
        assertFalse(head.lostAfter(ids.get(0)));
    }

    @Test
    void theHeadNamesTheEventThatEndedTheWorkflowThoughLaterEventsFollowIt() {
        String trace = newTrace();
        store().append(trace, events(trace, "workflow_started", 1));
        String end = store().append(trace, events(trace, "workflow_completed", 1)).ids().get(0);
        // An OpenTelemetry SDK's last children, exported after the root span's end.
        String last = store().append(trace, List.of(event(trace, "tool_call", "a"), event(trace, "task_completed", "a")))
                .ids().get(1);

        TraceHead head = store().head(trace).orElseThrow();
        assertEquals(end, head.endId());
        assertEquals(last, head.lastId());
        assertTrue(head.ended());

        String failed = store().append(trace, events(trace, "workflow_failed", 1)).ids().get(0);
        assertEquals(failed, store().head(trace).orElseThrow().endId(), "a later end is the end");
    }

    @Test
    void aWorkflowStartedAgainRunsUntilItsNextEnd() {
        String trace = newTrace();
        store().append(trace, List.of(event(trace, "workflow_started", "a"), event(trace, "workflow_failed", "a"),
                event(trace, "workflow_started", "a")));
        assertNull(store().head(trace).orElseThrow().endId(), "started again in the same append");

        store().append(trace, events(trace, "task_completed", 1));
        assertNull(store().head(trace).orElseThrow().endId());
        String end = store().append(trace, events(trace, "workflow_completed", 1)).ids().get(0);
        assertEquals(end, store().head(trace).orElseThrow().endId());
    }

    @Test
    void aTraceIsFinishedOnlyOnceItsWorkflowEndedAndNothingCameForTheGrace() {
        String trace = newTrace();
        String started = store().append(trace, events(trace, "workflow_started", 1)).ids().get(0);
        long grace = 60_000;
        assertFalse(store().head(trace).orElseThrow().finishedAt(nowMillis() + grace, grace), "still running");

        String end = store().append(trace, events(trace, "workflow_completed", 1)).ids().get(0);
        TraceHead head = store().head(trace).orElseThrow();
        long endedAt = EntryId.millis(end);
        assertFalse(head.finishedAt(endedAt + grace - 1, grace), "within the grace");
        assertTrue(head.finishedAt(endedAt + grace, grace));
        assertTrue(head.finishedFor(end, endedAt + grace, grace), "a client that has the end has everything");
        assertFalse(head.finishedFor(started, endedAt + grace, grace), "one that has only the start does not");
    }

    @Test
    void theCapDropsTheOldestEventsAndTheHeadSaysWhatWasLost() {
        String trace = newTrace();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.addAll(store().append(trace, events(trace, "step", 50)).ids());
        }
        List<StoredEvent> kept = store().read(trace, null, 1000);
        TraceHead head = store().head(trace).orElseThrow();

        assertTrue(kept.size() >= HISTORY_CAP && kept.size() < ids.size(), kept.size() + " events kept");
        int firstKept = ids.indexOf(kept.get(0).id());
        assertEquals(ids.subList(firstKept, ids.size()), ids(kept), "the newest are kept, in order");
        assertEquals(kept.get(0).id(), head.firstId());
        assertEquals(ids.get(ids.size() - 1), head.lastId());
        assertEquals(ids.get(firstKept - 1), head.trimmedId(), "the newest event dropped");
        assertEquals(head.trimmedId(), kept.get(0).previousId(), "the first kept still names its predecessor");

        assertTrue(head.lostAfter(ids.get(0)), "a replay from the first event would miss some");
        assertFalse(head.lostAfter(head.trimmedId()), "one from the newest dropped misses none");
        assertFalse(head.lostAfter(head.firstId()));
        assertFalse(head.lostAfter(null), "a client that has nothing reads what there is");
    }

    @Test
    void theWorkflowsEndIsKnownAfterTheCapDroppedItsEvent() {
        String trace = newTrace();
        String end = store().append(trace, List.of(event(trace, "workflow_started", "a"),
                event(trace, "workflow_completed", "a"))).ids().get(1);
        for (int i = 0; i < 10; i++) {
            store().append(trace, events(trace, "task_completed", 50)); // late children, and many
        }
        assertFalse(ids(store().read(trace, null, 1000)).contains(end), "the end event itself was dropped");
        assertEquals(end, store().head(trace).orElseThrow().endId());
    }

    // ---- the list of traces ---------------------------------------------------------------------

    @Test
    void recentTracesListsTheTracesNewestActivityFirstAndAtMostTheLimit() {
        List<String> traces = List.of(newTrace(), newTrace(), newTrace());
        Map<String, String> lastIds = new HashMap<>();
        for (String trace : traces) {
            nextMillisecond();
            lastIds.put(trace, store().append(trace, events(trace, "step", 2)).ids().get(1));
        }
        nextMillisecond();
        lastIds.put(traces.get(0), store().append(traces.get(0), events(traces.get(0), "step", 1)).ids().get(0));

        List<TraceActivity> listed = store().recentTraces(null, 3);
        assertEquals(List.of(traces.get(0), traces.get(2), traces.get(1)), listed.stream().map(TraceActivity::traceId).toList(),
                "the trace written again comes first");
        for (TraceActivity a : listed) {
            assertEquals(EntryId.millis(lastIds.get(a.traceId())), a.lastEventMillis(), "when its last event was stored");
        }
        assertEquals(listed.subList(0, 2), store().recentTraces(null, 2));
    }

    @Test
    void aCursorPagesThroughTheTracesOnceEachEvenWhenSeveralShareAMillisecond() throws Exception {
        List<String> traces = new ArrayList<>();
        for (int group = 0; group < 4; group++) {
            nextMillisecond();
            // Together, so that they may well be stored within one millisecond (in memory, with
            // its clock standing still, they are).
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String trace = newTrace();
                traces.add(trace);
                writes.add(appenders.submit(() -> store().append(trace, events(trace, "step", 1))));
            }
            for (Future<?> w : writes) {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        List<TraceActivity> all = store().recentTraces(null, traces.size());
        assertEquals(Set.copyOf(traces), Set.copyOf(all.stream().map(TraceActivity::traceId).toList()),
                "the newest traces are these");
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).isAfter(all.get(i - 1)), "newest first, ties by trace id: " + all);
        }

        List<TraceActivity> paged = new ArrayList<>();
        TraceActivity cursor = null;
        while (paged.size() < traces.size()) {
            List<TraceActivity> page = store().recentTraces(cursor, Math.min(5, traces.size() - paged.size()));
            assertFalse(page.isEmpty(), "a page after " + cursor);
            paged.addAll(page);
            cursor = page.get(page.size() - 1);
        }
        assertEquals(all, paged);
    }

    // ---- live delivery --------------------------------------------------------------------------

    @Test
    void liveEventsReachTheWatcherOnlyWhileTheTraceIsWatched() throws Exception {
        String trace = newTrace();
        String before = store().append(trace, events(trace, "before", 1)).ids().get(0);
        await(store().watch(trace));
        String during = store().append(trace, events(trace, "during", 1)).ids().get(0);
        watched.awaitId(trace, during);
        store().unwatch(trace);
        String after = store().append(trace, events(trace, "after", 1)).ids().get(0);
        everyEvent.awaitId(trace, after);
        Thread.sleep(QUIET.toMillis());

        List<String> heard = ids(watched.events(trace));
        assertTrue(heard.contains(during));
        assertFalse(heard.contains(after), "delivered after the unwatch: " + heard);
        assertStrictlyIncreasing(heard);
        // The watch doc allows an event stored before the watch completed (Redis hands on the newest one).
        assertTrue(List.of(before, during).containsAll(heard), "only what was stored: " + heard);
    }

    @Test
    void liveEventsArriveInHistoryOrderAsStoredEachNamingTheOneBefore() throws Exception {
        String trace = newTrace();
        await(store().watch(trace));
        try {
            appendConcurrently(trace, 4, 10, 3);
            List<StoredEvent> history = store().read(trace, null, 1000);
            assertEquals(120, history.size());

            List<StoredEvent> heard = watched.awaitId(trace, history.get(history.size() - 1).id());
            assertEquals(history, heard, "every event, once, in history order, as the history holds it");
        } finally {
            store().unwatch(trace);
        }
    }

    @Test
    void aTraceWatchedTwiceIsStillDeliveredAfterOneUnwatch() throws Exception {
        String trace = newTrace();
        await(store().watch(trace));
        await(store().watch(trace));
        String first = store().append(trace, events(trace, "step", 1)).ids().get(0);
        watched.awaitId(trace, first);

        store().unwatch(trace);
        String second = store().append(trace, events(trace, "step", 1)).ids().get(0);
        List<StoredEvent> heard = watched.awaitId(trace, second);
        assertEquals(List.of(first, second), ids(heard));
        store().unwatch(trace);
    }

    /**
     * A client that leaves a trace and one that opens it again a moment later: the last unwatch
     * and the next watch of a trace meet, in either order, while the store may still be stopping
     * the first (in Redis: removing the channel's listeners, unsubscribing). Every watch must
     * complete, and deliver what is stored after it.
     */
    @Test
    void aTraceWatchedAgainWhileItsLastUnwatchIsUnderWayIsDeliveredAgain() throws Exception {
        String trace = newTrace();
        await(store().watch(trace));
        for (int round = 0; round < REWATCH_ROUNDS; round++) {
            CompletionStage<Void> again;
            if (round % 2 == 0) {
                store().unwatch(trace);
                again = store().watch(trace);
            } else {
                Future<CompletionStage<Void>> racing = appenders.submit(() -> store().watch(trace));
                store().unwatch(trace);
                again = racing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            try {
                await(again);
            } catch (TimeoutException e) {
                fail("round " + round + ": the watch did not complete within " + WAIT);
            }
            String id = store().append(trace, events(trace, "round-" + round, 1)).ids().get(0);
            watched.awaitId(trace, id);
        }
        store().unwatch(trace);
    }

    @Test
    void unwatchingATraceNobodyWatchesChangesNothing() throws Exception {
        String trace = newTrace();
        store().unwatch(trace);
        await(store().watch(trace));
        String id = store().append(trace, events(trace, "step", 1)).ids().get(0);
        assertEquals(List.of(id), ids(watched.awaitId(trace, id)));
        store().unwatch(trace);
    }

    @Test
    void everyEventReachesTheOncePerEventListenerInHistoryOrderWatchedOrNot() throws Exception {
        String unwatched = newTrace();
        String other = newTrace();
        appendConcurrently(unwatched, 2, 10, 2);
        store().append(other, events(other, "step", 3));

        for (String trace : List.of(unwatched, other)) {
            List<StoredEvent> history = store().read(trace, null, 1000);
            assertEquals(history, everyEvent.awaitId(trace, history.get(history.size() - 1).id()), trace);
        }
    }

    /**
     * A listener may take a lock of its own and read the store under it while other threads do the
     * same (the summaries do). The in-memory store once handed live events on while holding the
     * trace's lock: the listener waited for the summary's lock, whose holder waited in a read for
     * the trace's lock, for good.
     */
    @Test
    void aListenerMayReadTheStoreUnderItsOwnLockWhileOtherThreadsDoTheSameAndFindsTheEventsThere() throws Exception {
        String trace = newTrace();
        Object listenersLock = new Object();
        List<String> problems = new CopyOnWriteArrayList<>();
        watched.whileDelivering(trace, events -> {
            synchronized (listenersLock) {
                Set<String> stored = new HashSet<>(ids(store().read(trace, null, 1000)));
                store().head(trace).orElseThrow();
                events.stream().filter(e -> !stored.contains(e.id())).forEach(e -> problems.add("not in the history: " + e.id()));
            }
        });
        await(store().watch(trace));
        AtomicBoolean appending = new AtomicBoolean(true);
        Future<?> reader = appenders.submit(() -> {
            while (appending.get()) {
                synchronized (listenersLock) {
                    store().read(trace, null, 1000);
                }
            }
        });
        try {
            appendConcurrently(trace, 3, 10, 2);
            appending.set(false);
            reader.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String last = store().head(trace).orElseThrow().lastId();
            assertEquals(60, watched.awaitId(trace, last).size());
            assertEquals(List.of(), problems);
        } finally {
            appending.set(false);
            store().unwatch(trace);
        }
    }

    // ---- expiry ---------------------------------------------------------------------------------

    @Test
    void aTraceNotWrittenForItsTtlIsGoneAndAWriteStartsItAfresh() {
        String trace = newTrace();
        String kept = newTrace();
        store().append(trace, events(trace, "step", 2));
        store().append(kept, events(kept, "step", 1));
        assumeTrue(moveClock(TTL.minusMinutes(1)), "this adapter expires traces on its server's clock, which a test cannot move");
        store().append(kept, events(kept, "step", 1)); // a write keeps a trace alive
        moveClock(Duration.ofMinutes(1));

        assertTrue(store().head(trace).isEmpty());
        assertEquals(List.of(), store().read(trace, null, 10));
        List<String> listed = store().recentTraces(null, 100).stream().map(TraceActivity::traceId).toList();
        assertFalse(listed.contains(trace));
        assertTrue(listed.contains(kept));
        assertEquals(2, store().read(kept, null, 10).size());

        store().append(trace, events(trace, "step", 1));
        List<StoredEvent> history = store().read(trace, null, 10);
        assertEquals(1, history.size(), "a new history");
        StoredEvent first = history.get(0);
        assertNull(first.previousId());
        assertEquals(new TraceHead(first.id(), first.id(), null, null), store().head(trace).orElseThrow());
    }

    // ---- content --------------------------------------------------------------------------------

    private static NewEvent said(String trace, String eventId, String content) {
        NewEvent e = ProducerEvent.of(trace, "llm_call", "a").eventId(eventId).toNew();
        return new NewEvent(e.eventType(), e.agentId(), e.eventId(), e.json(), content);
    }

    @Test
    void aCallsContentIsStoredBesideItsEventAndReadByTheEventsId() {
        String trace = newTrace();
        String content = "{\"input\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Paris?\"}]}]}";
        List<String> ids = store().append(trace, List.of(event(trace, "step", "a"), said(trace, "c1", content))).ids();

        assertEquals(Optional.of(content), store().content(trace, ids.get(1)));
        assertEquals(Optional.empty(), store().content(trace, ids.get(0)), "an event without content has none");
        assertEquals(Optional.empty(), store().content(newTrace(), ids.get(1)), "content is its trace's");
        assertFalse(store().read(trace, null, 10).get(1).json().contains("Paris?"), "not inside the history");
    }

    @Test
    void aRetriedCallKeepsItsOriginalContent() {
        String trace = newTrace();
        String original = store().append(trace, List.of(said(trace, "k", "{\"a\":1}"))).ids().get(0);
        AppendResult again = store().append(trace, List.of(said(trace, "k", "{\"a\":2}")));
        assertEquals(List.of(original), again.ids());
        assertEquals(Optional.of("{\"a\":1}"), store().content(trace, original));
    }

    @Test
    void aCallsContentExpiresWithItsTrace() {
        String trace = newTrace();
        String id = store().append(trace, List.of(said(trace, "c", "{\"a\":1}"))).ids().get(0);
        assumeTrue(moveClock(TTL.plusSeconds(1)), "this adapter expires traces on its server's clock, which a test cannot move");
        assertEquals(Optional.empty(), store().content(trace, id));
    }

    // ---- health ---------------------------------------------------------------------------------

    @Test
    void theStoreIsAvailableAndSaysWhichItIs() {
        assertTrue(health().isAvailable());
        assertEquals(expectedName(), health().name());
    }

    // ---- workflow activity ----------------------------------------------------------------------

    @Test
    void aStartedWorkflowRunsUntilItEndsAndItsEndAnswersWhenItStarted() {
        String trace = newTrace();
        store().append(trace, events(trace, "workflow_started", 1));
        long startedAt = nowMillis() - 5_000;
        activity().started(trace, startedAt);
        assertEquals(List.of(trace), runningOf(List.of(trace)).stream().map(WorkflowActivity.Running::traceId).toList());

        assertEquals(startedAt, activity().ended(trace).orElseThrow());
        assertEquals(List.of(), runningOf(List.of(trace)));
        assertTrue(activity().ended(trace).isEmpty(), "ended already");
        assertTrue(activity().ended(newTrace()).isEmpty(), "never started");
    }

    @Test
    void runningWorkflowsAreListedOldestFirstWithTheirTracesLastEvent() {
        String older = newTrace();
        String newer = newTrace();
        String lastOfNewer = null;
        String lastOfOlder = null;
        for (String trace : List.of(newer, older)) {
            String last = store().append(trace, events(trace, "workflow_started", 1)).ids().get(0);
            if (trace.equals(newer)) {
                lastOfNewer = last;
            } else {
                lastOfOlder = last;
            }
        }
        long now = nowMillis();
        activity().started(newer, now - 1_000);
        activity().started(older, now - 60_000);

        List<WorkflowActivity.Running> running = runningOf(List.of(older, newer));
        assertEquals(List.of(new WorkflowActivity.Running(older, now - 60_000, EntryId.millis(lastOfOlder)),
                new WorkflowActivity.Running(newer, now - 1_000, EntryId.millis(lastOfNewer))), running);
        activity().ended(older);
        activity().ended(newer);
    }

    @Test
    void aRunningWorkflowWhoseTraceIsNotStoredIsForgotten() {
        String gone = newTrace();
        activity().started(gone, nowMillis());
        assertEquals(List.of(), runningOf(List.of(gone)));
        assertTrue(activity().ended(gone).isEmpty(), "forgotten, not just hidden");
    }

    @Test
    void eachAgentIsReportedWithItsLatestEventTime() {
        String agent = "agent-" + UUID.randomUUID();
        String other = "agent-" + UUID.randomUUID();
        long now = nowMillis();
        activity().agentsSeen(Map.of(agent, now - 1_000, other, now - 2_000));
        // Another instance's older news of the same agent, written after.
        activity().agentsSeen(Map.of(agent, now - 3_000));

        Map<String, Long> seen = activity().agentsLastSeen();
        assertEquals(now - 1_000, seen.get(agent), "the latest time, not the last written");
        assertEquals(now - 2_000, seen.get(other));
    }

    @Test
    void agentsNotHeardFromWithinTheTtlAreNotReported() {
        String silent = "agent-" + UUID.randomUUID();
        String heard = "agent-" + UUID.randomUUID();
        long now = nowMillis();
        activity().agentsSeen(Map.of(silent, now - TTL.toMillis() - 60_000, heard, now));
        Map<String, Long> seen = activity().agentsLastSeen();
        assertFalse(seen.containsKey(silent));
        assertEquals(now, seen.get(heard));
    }

    // ---- helpers --------------------------------------------------------------------------------

    protected static String newTrace() {
        return "t-" + UUID.randomUUID();
    }

    private static NewEvent event(String trace, String type, String agent) {
        return ProducerEvent.of(trace, type, agent).toNew();
    }

    /** {@code n} events of one type, each of its own agent. */
    private static List<NewEvent> events(String trace, String type, int n) {
        return IntStream.range(0, n).mapToObj(i -> event(trace, type, "agent-" + i)).toList();
    }

    private static NewEvent keyed(String trace, String eventId) {
        return ProducerEvent.of(trace, "step", "a").eventId(eventId).toNew();
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    private static int indexOf(List<StoredEvent> history, String id) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError(id + " is not in the history");
    }

    private static void assertStrictlyIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(EntryId.isAfter(ids.get(i), ids.get(i - 1)), "ids in order: " + ids);
        }
    }

    private static void await(java.util.concurrent.CompletionStage<Void> watch) throws Exception {
        watch.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** {@code writers} threads each appending {@code appends} batches of {@code batchSize} events. */
    private void appendConcurrently(String trace, int writers, int appends, int batchSize) throws Exception {
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            writes.add(appenders.submit(() -> {
                for (int n = 0; n < appends; n++) {
                    store().append(trace, events(trace, "step", batchSize));
                }
            }));
        }
        for (Future<?> w : writes) {
            try {
                w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("appends still waiting after " + WAIT + " (a deadlock?)", e);
            }
        }
    }

    /** The running workflows among these traces: a shared store holds other tests' too. */
    private List<WorkflowActivity.Running> runningOf(List<String> traces) {
        return activity().running().stream().filter(r -> traces.contains(r.traceId())).toList();
    }

    /** A live listener that keeps what it hears, per trace, and lets a test wait for it. */
    private static final class LiveRecorder implements LiveListener {

        private final Map<String, List<StoredEvent>> heard = new HashMap<>();
        private final Map<String, Consumer<List<StoredEvent>>> whileDelivering = new ConcurrentHashMap<>();

        @Override
        public void onEvents(String traceId, List<StoredEvent> events) {
            Consumer<List<StoredEvent>> inside = whileDelivering.get(traceId);
            if (inside != null) {
                inside.accept(events);
            }
            synchronized (this) {
                heard.computeIfAbsent(traceId, t -> new ArrayList<>()).addAll(events);
                notifyAll();
            }
        }

        /** Runs {@code action} inside each delivery of the trace's events, before they are recorded. */
        void whileDelivering(String traceId, Consumer<List<StoredEvent>> action) {
            whileDelivering.put(traceId, action);
        }

        synchronized List<StoredEvent> events(String traceId) {
            return List.copyOf(heard.getOrDefault(traceId, List.of()));
        }

        /** What the trace's listener heard, once it has heard the event {@code id}. */
        List<StoredEvent> awaitId(String traceId, String id) {
            return await(traceId, events -> events.stream().anyMatch(e -> e.id().equals(id)), "event " + id);
        }

        private synchronized List<StoredEvent> await(String traceId, Predicate<List<StoredEvent>> done, String what) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(heard.getOrDefault(traceId, List.of()))) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail(what + " of trace " + traceId + " did not arrive within " + WAIT + "; heard: "
                            + heard.getOrDefault(traceId, List.of()).stream().map(StoredEvent::id).toList());
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return List.copyOf(heard.get(traceId));
        }
    }
}
