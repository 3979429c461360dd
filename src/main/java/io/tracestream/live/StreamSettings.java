package io.tracestream.live;

import io.tracestream.config.TraceStreamConfig;

/**
 * The streaming policy both kinds of stream (a trace's, the list's) follow, read once from the
 * configuration: the reconnect hint, how long a stream may live, how far a client may fall behind
 * and for how long, and how the history is read.
 *
 * @param retrySpreadMillis each stream's {@code retry:} hint is {@code retryMillis} plus a random part up
 *                          to this: the clients of an instance that dies then come back spread over
 *                          this time, not all in the same instant
 * @param maxLifetimeMillis 0: streams live until the client or the trace ends them
 * @param maxUnsentBytes    nothing more is written while a client has more than this not taken
 * @param maxBuffered       batches (trace stream) or rows (list stream) that may wait for a client
 * @param writeTimeoutMillis a client that stays past {@code maxUnsentBytes} this long stopped reading
 * @param endGraceMillis    a trace whose workflow ended is finished once nothing arrived for this long
 */
record StreamSettings(long retryMillis, long retrySpreadMillis, long maxLifetimeMillis, int maxUnsentBytes, int maxBuffered,
                      long writeTimeoutMillis, int replayPage, long endGraceMillis) {

    static StreamSettings of(TraceStreamConfig config) {
        return new StreamSettings(config.sseRetry().toMillis(), config.sseRetrySpread().toMillis(), config.maxLifetime().toMillis(), config.maxUnsentBytes(),
                config.maxBuffered(), config.writeTimeout().toMillis(), config.replayPage(), config.endGrace().toMillis());
    }

    /** The {@code retry:} hint of one stream: the configured wait plus its share of the spread. */
    long retryHint() {
        return retryMillis + (retrySpreadMillis > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(retrySpreadMillis + 1) : 0);
    }

    /** A frame is sent once it holds this much, even if more is waiting. */
    int maxFrameBytes() {
        return maxUnsentBytes;
    }
}
