package io.tracestream.store.redis;

import io.tracestream.store.LiveListener;
import io.tracestream.store.StoreStats;
import io.tracestream.store.StoredEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.redisson.api.RFuture;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.api.stream.StreamMessageId;

/**
 * The live channels of the traces this instance watches. The append script publishes each
 * append's new events on its trace's pub/sub channel; an instance subscribes to a trace's channel
 * while any of its clients streams that trace, so it receives the events its clients watch and no
 * others. Why: with a consumer group per instance, every instance read and decoded every event,
 * and a second instance added load instead of capacity.
 *
 * <p>Redisson runs each channel's messages one at a time, in the order Redis sent them, which is
 * the trace's history order. Pub/sub delivers at most once: what is published while the
 * connection is down is lost. So on every subscription, first or after a reconnection, the trace's
 * newest stored event is delivered as well; listeners, which check each event's predecessor, see
 * the gap and read it from the history.
 *
 * <p>Locks (docs/architecture.md, "Locks, and their one order"): the map of watches, then one watch's own; nothing but
 * Redisson's asynchronous calls runs under either, and live messages are handed on under neither.
 */
final class LiveChannels {

    private static final Logger LOG = Logger.getLogger(LiveChannels.class.getName());
    /** Attempts to subscribe a trace's channel before its streams are given up. */
    private static final int SUBSCRIBE_ATTEMPTS = 5;
    /** The pause before the second attempt; it doubles before each further one. */
    private static final Duration SUBSCRIBE_RETRY = Duration.ofMillis(100);
    /** A reconnection resubscribes every channel: said once, not once per trace. */
    private static final Duration RESUBSCRIBED_LOG_EVERY = Duration.ofSeconds(10);

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final StoreStats stats;
    private volatile LiveListener listener = (traceId, events) -> { };
    /** Until when (System.nanoTime()) a resubscription is not logged again. */
    private final AtomicLong quietUntil = new AtomicLong(System.nanoTime());
    /** Each watched trace's subscription; guarded by itself. */
    private final Map<String, Watch> watches = new HashMap<>();

    LiveChannels(RedissonClient redis, RedisKeys keys, StoreStats stats) {
        this.redis = redis;
        this.keys = keys;
        this.stats = stats;
    }

    void setListener(LiveListener listener) {
        this.listener = listener;
    }

    CompletionStage<Void> watch(String traceId) {
        synchronized (watches) {
            Watch watch = watches.get(traceId);
            if (watch == null) {
                watch = new Watch(traceId);
                watches.put(traceId, watch);
            } else {
                watch.count++;
                if (watch.subscribed.isCompletedExceptionally()) {
                    watch.subscribe(); // the last attempt failed (Redis down): this stream tries again
                }
            }
            return watch.subscribed;
        }
    }

    void unwatch(String traceId) {
        Watch watch;
        synchronized (watches) {
            watch = watches.get(traceId);
            if (watch == null || --watch.count > 0) {
                return;
            }
            watches.remove(traceId);
        }
        watch.stop();
    }

    private void resubscribed() {
        long now = System.nanoTime();
        long until = quietUntil.get();
        if (now - until >= 0 && quietUntil.compareAndSet(until, now + RESUBSCRIBED_LOG_EVERY.toNanos())) {
            LOG.info("Live channels resubscribed after the pub/sub connection to Redis was lost; "
                    + "streams read what they missed from the history");
        }
    }

    /** One trace's subscription, shared by all of this instance's streams of the trace. */
    private final class Watch implements StatusListener {
        final String traceId;
        final RTopic topic;
        int count = 1;
        volatile CompletableFuture<Void> subscribed;
        private RFuture<Integer> messages;
        private RFuture<Integer> status;
        /** Unwatched: no attempt may add listeners any more. */
        private volatile boolean stopped;

        Watch(String traceId) {
            this.traceId = traceId;
            this.topic = redis.getTopic(keys.liveChannel(traceId), ByteArrayCodec.INSTANCE);
            subscribe();
        }

        void subscribe() {
            subscribed = attempt(1);
        }

        /**
         * Subscribes, trying again a few times, each after a longer pause. Why: Redisson subscribes
         * one channel at a time on the pub/sub connection, each within the response timeout, so
         * when a thousand streams open at once (a dashboard reloaded, clients of a departed
         * instance arriving) the last in line can time out while Redis is fine.
         */
        private CompletableFuture<Void> attempt(int attempt) {
            RFuture<Integer> addedMessages;
            RFuture<Integer> addedStatus;
            synchronized (this) {
                if (stopped) {
                    return CompletableFuture.failedFuture(new IllegalStateException("no longer watched"));
                }
                addedMessages = topic.addListenerAsync(byte[].class,
                        (channel, message) -> deliver(RedisEntries.fromLiveMessage(message)));
                addedStatus = topic.addListenerAsync(this);
                messages = addedMessages;
                status = addedStatus;
            }
            return CompletableFuture.allOf(addedMessages.toCompletableFuture(), addedStatus.toCompletableFuture())
                    .handle((done, failure) -> {
                        if (failure == null) {
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        removeListeners(addedMessages, addedStatus);
                        stats.error();
                        if (attempt >= SUBSCRIBE_ATTEMPTS || stopped) {
                            LOG.warning("Could not subscribe to a trace's live channel (" + attempt
                                    + " attempts); its new streams end and their clients reconnect: " + failure);
                            return CompletableFuture.<Void>failedFuture(failure);
                        }
                        Executor later = CompletableFuture.delayedExecutor(
                                SUBSCRIBE_RETRY.toMillis() << (attempt - 1), TimeUnit.MILLISECONDS);
                        return CompletableFuture.supplyAsync(() -> attempt(attempt + 1), later).thenCompose(next -> next);
                    })
                    .thenCompose(result -> result);
        }

        synchronized void stop() {
            stopped = true;
            removeListeners(messages, status);
        }

        private void removeListeners(RFuture<Integer> addedMessages, RFuture<Integer> addedStatus) {
            for (RFuture<Integer> listenerId : List.of(addedMessages, addedStatus)) {
                listenerId.thenAccept(topic::removeListenerAsync);
            }
        }

        /** Subscribed, at first or again after a reconnection: whatever was missed shows as a gap. */
        @Override
        public void onSubscribe(String channel) {
            CompletableFuture<Void> first = subscribed; // null while the first attempt is being made
            if (first != null && first.isDone()) {
                resubscribed();
            }
            redis.<String, String>getStream(keys.trace(traceId), StringCodec.INSTANCE)
                    .rangeReversedAsync(1, StreamMessageId.MAX, StreamMessageId.MIN)
                    .whenComplete((newest, failure) -> {
                        if (failure != null) {
                            stats.error(); // the next event shows the gap instead
                        } else {
                            newest.forEach((id, fields) ->
                                    deliver(List.of(RedisEntries.fromHistory(traceId, id.toString(), fields))));
                        }
                    });
        }

        @Override
        public void onUnsubscribe(String channel) {
            // nothing to do: the next subscription delivers what may have been missed
        }

        private void deliver(List<StoredEvent> events) {
            if (events.isEmpty()) {
                return;
            }
            try {
                listener.onEvents(traceId, events);
            } catch (RuntimeException e) {
                // A listener bug must not end this trace's live delivery.
                LOG.log(Level.SEVERE, "Unexpected error delivering live events", e);
            }
        }
    }
}
