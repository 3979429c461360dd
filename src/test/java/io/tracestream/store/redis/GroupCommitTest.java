package io.tracestream.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.store.AppendResult;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoreStats;
import io.tracestream.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** A call the test answers by hand: the appends it carried and the answer to complete. */
    record Call(List<GroupCommit.Append> appends, CompletableFuture<List<Object>> answer) {
        List<String> traces() {
            return appends.stream().map(GroupCommit.Append::traceId).toList();
        }
    }

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    GroupCommit commit(int maxInFlight, int maxEvents, Duration timeout) {
        return new GroupCommit(maxInFlight, maxEvents, timeout, new StoreStats(), batch -> {
            Call call = new Call(List.copyOf(batch), new CompletableFuture<>());
            calls.add(call);
            return call.answer();
        });
    }

    static List<NewEvent> events(int n) {
        return IntStream.range(0, n).mapToObj(i -> new NewEvent("message", "a", null, "{}")).toList();
    }

    static List<Object> ids(String... ids) {
        return List.of((Object[]) ids);
    }

    CompletableFuture<AppendResult> appendAsync(GroupCommit commit, String trace, int events) {
        return CompletableFuture.supplyAsync(() -> commit.append(trace, events(events)));
    }

    Call nextCall() throws InterruptedException {
        Call call = calls.poll(5, TimeUnit.SECONDS);
        assertTrue(call != null, "a call was made");
        return call;
    }

    @Test
    void anAppendWithNothingInFlightIsSentAtOnceAndAnsweredWithItsIds() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> result = appendAsync(commit, "t1", 2);
        Call call = nextCall();
        assertEquals(List.of("t1"), call.traces());
        call.answer().complete(ids("1-0", "1-1"));
        assertEquals(new AppendResult(List.of("1-0", "1-1"), 2), result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void appendsArrivingWhileACallIsInFlightTravelTogetherInTheNextCallInArrivalOrder() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> first = appendAsync(commit, "t1", 1);
        Call firstCall = nextCall();
        List<CompletableFuture<AppendResult>> waiting = new ArrayList<>();
        for (String trace : List.of("t2", "t3", "t2")) {
            waiting.add(appendAsync(commit, trace, 1));
            Thread.sleep(50); // keep the arrival order
        }
        assertEquals(0, calls.size(), "no second call while the first is in flight");
        firstCall.answer().complete(ids("1-0"));
        Call second = nextCall();
        assertEquals(List.of("t2", "t3", "t2"), second.traces());
        second.answer().complete(ids("2-0", "3-0", "2-1"));
        assertEquals(List.of("1-0"), first.get(5, TimeUnit.SECONDS).ids());
        assertEquals(List.of("2-0"), waiting.get(0).get(5, TimeUnit.SECONDS).ids());
        assertEquals(List.of("3-0"), waiting.get(1).get(5, TimeUnit.SECONDS).ids());
        assertEquals(List.of("2-1"), waiting.get(2).get(5, TimeUnit.SECONDS).ids());
    }

    @Test
    void aCallCarriesAtMostMaxEventsButABiggerRequestStillGoesAlone() throws Exception {
        GroupCommit commit = commit(1, 3, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> blocker = appendAsync(commit, "t0", 1);
        Call first = nextCall();
        CompletableFuture<AppendResult> big = appendAsync(commit, "big", 5);
        Thread.sleep(50);
        CompletableFuture<AppendResult> small = appendAsync(commit, "small", 2);
        Thread.sleep(50);
        first.answer().complete(ids("0-0"));
        Call alone = nextCall();
        assertEquals(List.of("big"), alone.traces(), "5 events exceed the limit of 3: sent alone");
        alone.answer().complete(ids("b-0", "b-1", "b-2", "b-3", "b-4"));
        Call next = nextCall();
        assertEquals(List.of("small"), next.traces());
        next.answer().complete(ids("s-0", "s-1"));
        assertEquals(5, big.get(5, TimeUnit.SECONDS).ids().size());
        assertEquals(2, small.get(5, TimeUnit.SECONDS).ids().size());
        assertEquals(1, blocker.get(5, TimeUnit.SECONDS).ids().size());
    }

    @Test
    void anEventStoredBeforeUnderTheSameEventIdIsAnsweredWithTheOriginalIdAndNotCountedAsStored() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> result = appendAsync(commit, "t1", 3);
        nextCall().answer().complete(ids("5-0", "=4-0", "5-1"));
        assertEquals(new AppendResult(List.of("5-0", "4-0", "5-1"), 2), result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFailedCallFailsEveryAppendItCarriedAsUnavailableAndTheNextCallStillGoes() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> first = appendAsync(commit, "t1", 1);
        Call call = nextCall();
        CompletableFuture<AppendResult> second = appendAsync(commit, "t2", 1);
        Thread.sleep(50);
        call.answer().completeExceptionally(new IllegalStateException("connection reset"));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, failed.getCause());
        Call next = nextCall();
        assertEquals(List.of("t2"), next.traces());
        next.answer().complete(ids("2-0"));
        assertEquals(List.of("2-0"), second.get(5, TimeUnit.SECONDS).ids());
    }

    @Test
    void aMalformedAnswerFailsItsAppendsWithoutWedgingLaterOnes() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> first = appendAsync(commit, "t1", 2);
        nextCall().answer().complete(ids("1-0")); // one id for two events
        assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        CompletableFuture<AppendResult> second = appendAsync(commit, "t2", 1);
        nextCall().answer().complete(ids("2-0"));
        assertEquals(List.of("2-0"), second.get(5, TimeUnit.SECONDS).ids());
    }

    @Test
    void anAppendThatGaveUpWaitingBeforeItWasSentIsNeverSent() throws Exception {
        GroupCommit commit = commit(1, 100, Duration.ofMillis(1)); // gives up after 2 x 1 ms + 1 s
        CompletableFuture<AppendResult> first = appendAsync(commit, "t1", 1);
        Call stuck = nextCall();
        CompletableFuture<AppendResult> late = appendAsync(commit, "t2", 1);
        ExecutionException gaveUp = assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
        assertInstanceOf(StoreUnavailableException.class, gaveUp.getCause());
        // The first gives up too, as its call is never answered in time; only then does the answer
        // come (answering before would race with its giving up on a loaded machine).
        assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS), "the first gave up too");
        stuck.answer().complete(ids("1-0"));
        Thread.sleep(200);
        assertEquals(0, calls.size(), "the withdrawn append was not sent: a 503 never stands for a stored event");
    }
}
