package io.tracestream.faults;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

/**
 * A well-behaved producer: posts batches of events, each with its own {@code event_id}, to the
 * instances in turn; on a 503 or a broken connection it retries the same batch (same
 * {@code event_id}s) on the next instance after the {@code Retry-After}, as the API asks. It
 * remembers the id answered for each event_id, so a test knows exactly what was stored.
 */
final class Producer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Cluster cluster;
    private final List<String> traces;
    private final int batchSize;
    private final long periodMillis;
    private final int padBytes;
    private final AtomicInteger nextInstance;
    private final boolean rotate;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;

    /** trace -> event_id -> id answered by the server. */
    private final Map<String, Map<String, String>> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentSkipListMap<>();
    private final AtomicInteger connectionErrors = new AtomicInteger();
    private final AtomicInteger missingRetryAfter = new AtomicInteger();
    private final AtomicInteger duplicatesAnswered = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong seq = new AtomicLong();
    /** Makes event_ids unique across producers: two producers must not look like retries of each other. */
    private final int producerId = THREADS.incrementAndGet();

    /**
     * @param instance the instance to post to first; -1 to spread requests over all instances
     * @param padBytes size of a filler attribute, to make events bigger
     */
    Producer(Cluster cluster, List<String> traces, int batchSize, long periodMillis, int instance, int padBytes) {
        this.cluster = cluster;
        this.traces = List.copyOf(traces);
        this.batchSize = batchSize;
        this.periodMillis = periodMillis;
        this.padBytes = padBytes;
        this.rotate = instance < 0;
        this.nextInstance = new AtomicInteger(Math.max(0, instance));
        traces.forEach(t -> accepted.put(t, new ConcurrentHashMap<>()));
    }

    Producer(Cluster cluster, List<String> traces, int batchSize, long periodMillis, int instance) {
        this(cluster, traces, batchSize, periodMillis, instance, 0);
    }

    /** Posts a batch to each trace every {@code periodMillis} on a thread of its own, until {@link #stop}. */
    Producer start() {
        running = true;
        thread = new Thread(() -> {
            try {
                while (running) {
                    long began = System.nanoTime();
                    for (String trace : traces) {
                        if (!running) {
                            break;
                        }
                        sendBatch(trace, batchSize);
                    }
                    long left = periodMillis - Faults.elapsedMillis(began);
                    if (left > 0 && running) {
                        Faults.sleep(left);
                    }
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                running = false;
            }
        }, "producer-" + producerId);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Stops after the batch in flight (which is retried until stored). */
    void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(60).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new AssertionError("producer did not stop within 60 s");
            }
        }
        if (failure != null) {
            throw new AssertionError("the producer failed: " + failure, failure);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Posts {@code count} events to a trace, retrying until stored; answers their ids. */
    List<String> sendBatch(String trace, int count) {
        List<String> eventIds = new ArrayList<>(count);
        StringBuilder body = new StringBuilder("[");
        long sentAt = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            long n = seq.incrementAndGet();
            String eventId = trace + "#p" + producerId + "-" + n;
            eventIds.add(eventId);
            if (i > 0) {
                body.append(',');
            }
            body.append(event("task_started", "agent-" + (n % 7), eventId, n, sentAt));
        }
        body.append(']');
        return post(trace, body.toString(), eventIds);
    }

    /** Posts the workflow's last event, so every stream of the trace ends with {@code end}. */
    String sendEnd(String trace) {
        long n = seq.incrementAndGet();
        String eventId = trace + "#p" + producerId + "-end";
        return post(trace, "[" + event("workflow_completed", "orchestrator", eventId, n, System.currentTimeMillis()) + "]",
                List.of(eventId)).get(0);
    }

    private String event(String type, String agent, String eventId, long n, long sentAt) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\",\"event_id\":\"" + eventId
                + "\",\"attributes\":{\"seq\":" + n + ",\"sent_at\":" + sentAt
                + (padBytes > 0 ? ",\"pad\":\"" + "x".repeat(padBytes) + "\"" : "") + "}}";
    }

    private List<String> post(String trace, String body, List<String> eventIds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Instance target = cluster.route(rotate ? nextInstance.getAndIncrement() : nextInstance.get());
            long started = System.nanoTime();
            long waitMillis = 200;
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.uri("/traces/" + trace + "/events"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                if (response.statusCode() == 202) {
                    latencies.add(Faults.elapsedMillis(started));
                    JsonObject answer = Json.createReader(new StringReader(response.body())).readObject();
                    JsonArray ids = answer.getJsonArray("ids");
                    duplicatesAnswered.addAndGet(answer.getInt("duplicates", 0));
                    List<String> out = new ArrayList<>(ids.size());
                    Map<String, String> byEventId = accepted.computeIfAbsent(trace, t -> new ConcurrentHashMap<>());
                    for (int i = 0; i < ids.size(); i++) {
                        String id = ids.getString(i);
                        String earlier = byEventId.putIfAbsent(eventIds.get(i), id);
                        if (earlier != null && !earlier.equals(id)) {
                            throw new AssertionError("event_id " + eventIds.get(i) + " answered " + earlier + " then " + id);
                        }
                        out.add(id);
                    }
                    return out;
                }
                if (response.statusCode() == 503) {
                    String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                    if (retryAfter == null) {
                        missingRetryAfter.incrementAndGet();
                    } else {
                        try {
                            waitMillis = Math.min(2000, Long.parseLong(retryAfter.trim()) * 1000);
                        } catch (NumberFormatException e) {
                            missingRetryAfter.incrementAndGet();
                        }
                    }
                } else {
                    throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.body());
                }
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not store a batch into " + trace + " within 90 s; statuses " + statuses);
            }
            retries.incrementAndGet();
            if (!rotate) {
                nextInstance.incrementAndGet();
            }
            Faults.sleep(waitMillis);
        }
    }

    /** event_id -> id of every event stored in {@code trace} (answered 202). */
    Map<String, String> accepted(String trace) {
        return accepted.getOrDefault(trace, Map.of());
    }

    /** The ids answered for a trace, in history order. */
    List<String> acceptedIds(String trace) {
        return accepted(trace).values().stream().distinct().sorted(EntryIds.ORDER).toList();
    }

    int acceptedCount() {
        return accepted.values().stream().mapToInt(Map::size).sum();
    }

    Map<Integer, AtomicInteger> statuses() {
        return statuses;
    }

    int count(int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }

    int connectionErrors() {
        return connectionErrors.get();
    }

    int missingRetryAfter() {
        return missingRetryAfter.get();
    }

    int duplicatesAnswered() {
        return duplicatesAnswered.get();
    }

    int retries() {
        return retries.get();
    }

    long maxLatencyMillis() {
        synchronized (latencies) {
            return latencies.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    long latencyPercentile(double p) {
        synchronized (latencies) {
            return EntryIds.percentile(latencies, p);
        }
    }

    String summary() {
        return "accepted " + acceptedCount() + ", statuses " + statuses + ", connection errors " + connectionErrors
                + ", retries " + retries + ", ingest p99 " + latencyPercentile(0.99) + " ms, max " + maxLatencyMillis() + " ms";
    }
}
