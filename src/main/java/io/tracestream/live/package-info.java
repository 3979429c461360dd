/**
 * Live delivery: the engine that pushes stored events to clients. The
 * {@link io.tracestream.live.LiveDispatcher} is the store's one live listener and hands each batch
 * to the summaries, the list streams ({@link io.tracestream.live.ListStreams}) and the trace's
 * streams ({@link io.tracestream.live.TraceStreams}); each client's stream follows one policy
 * ({@link io.tracestream.live.SseChannel}: one write per burst, bounded back-pressure, heartbeats,
 * drop a client that stopped reading, end at once when it leaves). It speaks to clients only
 * through the {@link io.tracestream.live.StreamClient} port, which the HTTP edge implements: no
 * HTTP type is known here. May import {@code config}, {@code domain}, {@code domain.summary},
 * {@code store}, {@code traces}, {@code ops} and CDI ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.live;
