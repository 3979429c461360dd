package io.tracestream.store.redis;

import io.tracestream.store.AppendResult;
import io.tracestream.store.NewEvent;
import io.tracestream.store.StoreStats;
import io.tracestream.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Appends that arrive while earlier ones are on their way to Redis travel together in one script
 * call (group commit). Why: each call costs a round trip and a script run whatever it carries, so
 * under load single-event requests would spend most of Redis's and the server's time on calls;
 * batched, the cost is shared. An append that arrives when no call is in flight goes at once, so
 * at low load nothing waits.
 *
 * <p>At most {@code maxInFlight} calls are on their way at once; a call carries at most
 * {@code maxEvents} events (a request bigger than that goes alone). Each call is one atomic
 * script, so combining changes nothing a request can observe: its events stay together, in order.
 */
final class GroupCommit {

    /** One request's append, waiting for its part of a call's answer. */
    record Append(String traceId, List<NewEvent> events, CompletableFuture<AppendResult> result) {}

    private final int maxInFlight;
    private final int maxEvents;
    private final Duration timeout;
    private final Function<List<Append>, CompletionStage<List<Object>>> send;
    private final StoreStats stats;

    private final ArrayDeque<Append> waiting = new ArrayDeque<>();
    private int inFlight;

    /** {@code send} makes one call of the appends given and answers one id per event, in order. */
    GroupCommit(int maxInFlight, int maxEvents, Duration timeout, StoreStats stats,
                Function<List<Append>, CompletionStage<List<Object>>> send) {
        this.maxInFlight = maxInFlight;
        this.maxEvents = maxEvents;
        this.timeout = timeout;
        this.stats = stats;
        this.send = send;
    }

    /** Stores the events, together with whatever else is waiting; blocks until they are stored. */
    AppendResult append(String traceId, List<NewEvent> events) {
        Append append = new Append(traceId, events, new CompletableFuture<>());
        List<Append> batch;
        synchronized (this) {
            waiting.add(append);
            batch = nextBatch();
        }
        if (batch != null) {
            call(batch);
        }
        try {
            // The Redis client times each call out itself; this only guards against a lost answer.
            return append.result().get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (TimeoutException e) {
            // Not sent yet: withdraw it, so that a 503 never stands for an event stored later.
            synchronized (this) {
                waiting.remove(append);
            }
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /** The appends of the next call, or null when none may start now. Holds the lock. */
    private List<Append> nextBatch() {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
            return null;
        }
        inFlight++;
        List<Append> batch = new ArrayList<>();
        int events = 0;
        while (!waiting.isEmpty() && (batch.isEmpty() || events + waiting.peek().events().size() <= maxEvents)) {
            Append next = waiting.poll();
            batch.add(next);
            events += next.events().size();
        }
        return batch;
    }

    private void call(List<Append> batch) {
        CompletionStage<List<Object>> answer;
        try {
            answer = send.apply(batch);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((ids, failure) -> {
            try {
                if (failure != null) {
                    stats.error();
                    batch.forEach(a -> a.result().completeExceptionally(failure));
                } else {
                    distribute(batch, ids);
                }
            } catch (RuntimeException e) {
                batch.forEach(a -> a.result().completeExceptionally(e)); // a malformed answer
            } finally {
                List<Append> next;
                synchronized (this) {
                    inFlight--;
                    next = nextBatch();
                }
                if (next != null) {
                    call(next);
                }
            }
        });
    }

    /** Hands each append its ids; {@code =id} marks an event stored before under the same event_id. */
    private static void distribute(List<Append> batch, List<Object> ids) {
        int at = 0;
        for (Append a : batch) {
            int n = a.events().size();
            List<String> mine = new ArrayList<>(n);
            int stored = 0;
            for (Object o : ids.subList(at, at + n)) {
                String id = (String) o;
                if (id.startsWith(DUPLICATE_MARK)) {
                    mine.add(id.substring(DUPLICATE_MARK.length()));
                } else {
                    mine.add(id);
                    stored++;
                }
            }
            at += n;
            a.result().complete(new AppendResult(mine, stored));
        }
    }

    /** Marks, in the append script's answer, an event already stored under the same event_id. */
    static final String DUPLICATE_MARK = "=";

    private static StoreUnavailableException unavailable(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return new StoreUnavailableException("Redis did not answer: " + c.getMessage(), c);
    }
}
