package io.tracestream;

import java.util.List;

/**
 * Every lock Trace Stream takes, outermost first: a thread holding one may wait only for a lock
 * later in this list. The classes that take them say the same in their documentation
 * (TraceSummaries, MemoryEventStore, SseConnection, LiveChannels); docs/architecture.md lists it ("Locks").
 * {@link io.tracestream.testkit.LockOrderProbe} fails a concurrency test on any other wait.
 */
public final class LockOrder {

    public static final List<String> DOCUMENTED = List.of(
            // A trace's summary; while folding it reads the store and the summary cache.
            "io.tracestream.traces.TraceSummaries$Folded",
            "io.tracestream.traces.TraceSummaries$1",
            // One trace's history in memory, and the id clock its appends read.
            "io.tracestream.store.memory.MemoryEventStore$TraceLog",
            "io.tracestream.store.memory.IdSequence",
            // Redis: the watched traces, then one trace's subscription; the group commit's queue.
            "io.tracestream.store.redis.LiveChannels:java.util.HashMap",
            "io.tracestream.store.redis.LiveChannels$Watch",
            "io.tracestream.store.redis.GroupCommit",
            // A client's connection while a frame is written to it.
            "io.tracestream.http.SseConnection:java.lang.Object");

    private LockOrder() {}
}
