package io.tracestream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 100 clients that stop reading must not hurt the others: each connection's buffer is bounded
 * ({@code tracestream.sse.max-buffered}, 100 batches here), a client that falls that far behind
 * is disconnected, healthy clients keep receiving with low latency, and the heap stays bounded.
 */
class SlowConsumerIT {

    static final int STALLED = 100;
    static final long MB = 1024 * 1024;
    static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start("sc", 3, Map.of("tracestream.sse.max-buffered", "100"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHundredStalledClientsAreDisconnectedWhileHealthyClientsKeepReceivingWithLowLatencyAndTheHeapStaysBounded() {
        Instance crowded = cluster.get(0);
        String trace = "flood-" + System.nanoTime();
        Producer producer = new Producer(cluster, List.of(trace), 4, 40, 1, 8000);
        producer.sendBatch(trace, 1);
        List<ResumingClient> healthy = new ArrayList<>();
        for (int preferred : new int[] {0, 0, 1, 2}) {
            healthy.add(new ResumingClient(cluster, trace, preferred).measureLatency().start());
        }
        Faults.await(Duration.ofSeconds(20), () -> "healthy clients connected", () -> healthy.stream().allMatch(ResumingClient::connected));
        crowded.gc();
        double heapBefore = crowded.metric("base", "memory_usedHeap_bytes");

        List<StalledClient> stalled = new ArrayList<>();
        try {
            for (int k = 0; k < STALLED; k++) {
                stalled.add(StalledClient.open(crowded, trace));
            }
            Faults.await(Duration.ofSeconds(20), () -> "all streams open on " + crowded + ": " + crowded.openStreams(),
                    () -> crowded.openStreams() == STALLED + 2);

            // ~100 events/s of ~8 KB (800 KB/s per client) for 15 s, ingested through i2: more than the 4 MB a
            // kernel send buffer absorbs (tcp_wmem max), so the server itself meets each stalled client's full window.
            producer.start();
            long floodEnds = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            double heapMax = 0;
            int unanswered = 0;
            int samples = 0;
            String histogram = "";
            String dump = "";
            while (System.nanoTime() < floodEnds) {
                Faults.sleep(1000);
                double heap = heap(crowded);
                samples++;
                if (Double.isNaN(heap)) {
                    unanswered++;
                } else {
                    heapMax = Math.max(heapMax, heap);
                }
                if (samples == 6) {
                    // Evidence, half-way through the flood: what fills the heap, what the writer threads do.
                    histogram = crowded.histogram("during-flood", 18);
                    dump = crowded.threadDump("during-flood");
                }
            }
            producer.stop();
            long disconnectedIn = Faults.awaitMillis(Duration.ofSeconds(20), () -> {
                int n = openStreams(crowded);
                return n >= 0 && n <= 2;
            });
            int stillOpen = openStreams(crowded);
            long closedSockets = closedByServer(stalled);
            String writers = writerThreads(dump);
            boolean outOfMemoryYet = crowded.logContains("OutOfMemoryError");
            if (!outOfMemoryYet) {
                crowded.gc();
            }
            double heapAfter = heap(crowded);
            boolean outOfMemory = crowded.logContains("OutOfMemoryError");

            producer.sendEnd(trace);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean finished = healthy.stream().allMatch(c -> c.awaitFinished(
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
            Tally tally = Checks.tally(cluster, healthy);
            List<Long> latencies = healthy.stream().flatMap(c -> c.latencies().stream()).toList();
            long p50 = EntryIds.percentile(latencies, 0.50);
            long p99 = EntryIds.percentile(latencies, 0.99);
            long max = EntryIds.percentile(latencies, 1.0);
            List<Long> crowdedLatencies = healthy.subList(0, 2).stream().flatMap(c -> c.latencies().stream()).toList();
            String figures = STALLED + " stalled clients on one instance: " + closedSockets + " disconnected by the server"
                    + (disconnectedIn >= 0 ? " (open streams back to 2 " + disconnectedIn + " ms after the flood)" : ", " + stillOpen
                    + " streams still open 20 s after the flood (-1: no answer)") + "; healthy latency p50 " + p50 + " ms, p99 " + p99
                    + " ms, max " + max + " ms (same instance p99 " + EntryIds.percentile(crowdedLatencies, 0.99) + " ms); heap "
                    + (long) (heapBefore / MB) + " MB -> max " + (long) (heapMax / MB) + " MB during, " + (Double.isNaN(heapAfter) ? "no answer" : (long) (heapAfter / MB) + " MB")
                    + " after GC; /metrics unanswered " + unanswered + " of " + samples + " s" + (outOfMemory ? "; OutOfMemoryError in its log" : "");
            FaultReport.add("Slow consumers: 100 stalled + 4 healthy clients, ~100 events/s of 8 KB for 15 s", 3,
                    producer.acceptedCount() + 2, tally, figures);

            List<String> failures = new ArrayList<>();
            if (outOfMemory) {
                failures.add(crowded.name() + " ran out of heap (OutOfMemoryError in " + crowded.log() + ")");
            }
            if (!finished || !tally.perfect()) {
                failures.add("healthy clients did not each get every event once, in order, within 30 s of the end: " + tally);
            }
            if (p99 > 2000) {
                failures.add("healthy clients' p99 latency " + p99 + " ms > 2000 ms");
            }
            if (closedSockets < STALLED || disconnectedIn < 0) {
                failures.add("stalled clients were not all disconnected: " + closedSockets + " sockets closed by the server, "
                        + stillOpen + " streams open on " + crowded.name());
            }
            if (Double.isNaN(heapAfter) || heapAfter - heapBefore > 64 * MB) {
                failures.add("heap retained after the flood: " + (Double.isNaN(heapAfter) ? "no answer" : (long) (heapAfter / MB) + " MB") + " (before: " + (long) (heapBefore / MB) + " MB)");
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(String.join("; ", failures) + ". " + figures + ".\nHeap histogram of " + crowded.name()
                        + " 7 s into the flood (target/histogram-" + crowded.name() + "-during-flood.txt):\n" + histogram
                        + "\nWriter threads 6 s into the flood (" + writerCount(dump) + " of them; target/threads-" + crowded.name()
                        + "-during-flood.txt), the first:\n" + writers);
            }
            assertEquals(STALLED, closedSockets);
        } finally {
            stalled.forEach(StalledClient::close);
            healthy.forEach(ResumingClient::close);
        }
    }

    /** Used heap from /metrics?scope=base, or NaN when the instance does not answer. */
    private static double heap(Instance instance) {
        try {
            return instance.metric("base", "memory_usedHeap_bytes", Duration.ofSeconds(2));
        } catch (RuntimeException | AssertionError e) {
            return Double.NaN;
        }
    }

    private static int openStreams(Instance instance) {
        try {
            return (int) instance.metric("application", "tracestream_sse_streams_open", Duration.ofSeconds(2));
        } catch (RuntimeException | AssertionError e) {
            return -1;
        }
    }

    /** Reads each stalled socket at last, 25 at a time: did the server close it? */
    private static long closedByServer(List<StalledClient> stalled) {
        ExecutorService pool = Executors.newFixedThreadPool(25);
        try {
            List<CompletableFuture<Boolean>> closed = stalled.stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> s.closedByServer(3000), pool)).toList();
            return closed.stream().filter(CompletableFuture::join).count();
        } finally {
            pool.shutdownNow();
        }
    }

    private static long writerCount(String dump) {
        return java.util.Arrays.stream(dump.split("\n\n")).filter(t -> t.startsWith("\"tracestream-sse-writer")).count();
    }

    /** The stacks of the first SSE writer threads, the first frames of each. */
    private static String writerThreads(String dump) {
        return java.util.Arrays.stream(dump.split("\n\n"))
                .filter(t -> t.startsWith("\"tracestream-sse-writer"))
                .limit(3)
                .map(t -> t.lines().limit(24).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n\n"));
    }
}
