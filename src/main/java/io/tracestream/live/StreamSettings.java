package io.tracestream.live;

import io.tracestream.config.TraceStreamConfig;

/**
 * The streaming policy both kinds of stream (a trace's, the list's) follow, read once from the
 * configuration: the reconnect hint, how long a stream may live, how far a client may fall behind
 * and for how long, and how the history is read.
 *
 * @param maxLifetimeMillis 0: streams live until the client or the trace ends them
 * @param maxUnsentBytes    nothing more is written while a client has more than this not taken
 * @param maxBuffered       batches (trace stream) or rows (list stream) that may wait for a client
 * @param writeTimeoutMillis a client that stays past {@code maxUnsentBytes} this long stopped reading
 */
record StreamSettings(long retryMillis, long maxLifetimeMillis, int maxUnsentBytes, int maxBuffered,
                      long writeTimeoutMillis, int replayPage) {

    static StreamSettings of(TraceStreamConfig config) {
        return new StreamSettings(config.sseRetry().toMillis(), config.maxLifetime().toMillis(), config.maxUnsentBytes(),
                config.maxBuffered(), config.writeTimeout().toMillis(), config.replayPage());
    }

    /** A frame is sent once it holds this much, even if more is waiting. */
    int maxFrameBytes() {
        return maxUnsentBytes;
    }
}
