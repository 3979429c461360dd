package io.tracestream.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The floor: what Redis Streams and Redisson alone cost. The same fan-out entry shape as the
 * server's (one field {@code e}: trace, ids, type, event JSON, agent) goes through XADD (MAXLEN ~) at the same
 * rate to one consumer blocked in XREADGROUP (COUNT 500, BLOCK 1 s) that XACKs each batch, with
 * the server's Redisson settings (2 threads, 4 Netty threads, 16 connections).
 */
final class RedisFloor {

    record Result(Samples latency, long sent, long received, long errors) {}

    private RedisFloor() {
    }

    static Result run(String redisUrl, String key, int rate, double warmSeconds, double seconds) throws InterruptedException {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        config.setThreads(2);
        config.setNettyThreads(4);
        config.useSingleServer().setAddress(redisUrl).setConnectionPoolSize(16).setConnectionMinimumIdleSize(2)
                .setTimeout(1000).setRetryAttempts(0);
        RedissonClient redis = Redisson.create(config);
        try {
            RStream<String, String> stream = redis.getStream(key, StringCodec.INSTANCE);
            stream.createGroup(StreamCreateGroupArgs.name("floor").id(StreamMessageId.NEWEST).makeStream());
            Samples samples = new Samples();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong received = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            long start = System.nanoTime() + 100_000_000L;
            long recordFrom = start + (long) (warmSeconds * 1e9);
            Thread consumer = new Thread(() -> {
                while (running.get()) {
                    try {
                        Map<StreamMessageId, Map<String, String>> batch = stream.readGroup("floor", "c1",
                                StreamReadGroupArgs.neverDelivered().count(500).timeout(Duration.ofSeconds(1)));
                        long now = System.nanoTime();
                        if (batch.isEmpty()) {
                            continue;
                        }
                        for (Map<String, String> f : batch.values()) {
                            String d = f.get("e");
                            int at = d.indexOf("\"bns\":\"");
                            long ns = Long.parseLong(d.substring(at + 7, d.indexOf('"', at + 7)));
                            if (ns >= recordFrom) {
                                synchronized (samples) {
                                    samples.add(now - ns);
                                }
                            }
                            received.incrementAndGet();
                        }
                        stream.ackAsync("floor", batch.keySet().toArray(StreamMessageId[]::new));
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }, "floor-consumer");
            consumer.start();
            long total = (long) (rate * (warmSeconds + seconds));
            long period = 1_000_000_000L / rate;
            String previous = "";
            for (long i = 0; i < total; i++) {
                long due = start + i * period;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                int seq = (int) (i / 100) + 1;
                // The shape of a fan-out entry (RedisEntries): one field of lines, the agent last.
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("e", "floor-" + (i % 100) + "\n" + previous + "\n" + "0-" + i + "\n"
                        + Load.TYPES[seq % Load.TYPES.length] + "\n" + Load.event(seq, System.nanoTime())
                        + "\n" + "agent-" + (seq % 7));
                stream.addAsync(StreamAddArgs.entries(fields).trimNonStrict().maxLen(100_000).noLimit())
                        .whenComplete((id, failure) -> {
                            if (failure != null) {
                                errors.incrementAndGet();
                            }
                        });
                previous = "0-" + i;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            running.set(false);
            consumer.join(3000);
            synchronized (samples) {
                return new Result(samples, total, received.get(), errors.get());
            }
        } finally {
            redis.shutdown();
        }
    }
}
