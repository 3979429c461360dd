/**
 * Live delivery: the engine that pushes stored events to clients over Server-Sent Events. The
 * {@link io.tracestream.live.LiveDispatcher} is the store's one live listener and hands each batch
 * to the summaries, the list streams ({@link io.tracestream.live.ListStreams}) and the trace's
 * streams ({@link io.tracestream.live.TraceStreams}); each client's stream follows one policy
 * ({@link io.tracestream.live.SseChannel}: one write per burst, bounded back-pressure, heartbeats,
 * drop a client that stopped reading). Grizzly, reached by reflection, stays behind
 * {@link io.tracestream.live.ClientConnection}. May import {@code config}, {@code domain},
 * {@code store}, {@code traces} and {@code ops} (and JAX-RS SSE and the Servlet API).
 */
package io.tracestream.live;
