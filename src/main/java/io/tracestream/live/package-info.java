/**
 * Live delivery: the engine that pushes stored events to clients over Server-Sent Events. The
 * {@link io.tracestream.live.LiveDispatcher} is the store's one live listener and hands each batch
 * to the summaries, the list streams ({@link io.tracestream.live.ListStreams}) and the trace's
 * streams ({@link io.tracestream.live.TraceStreams}); each client's stream follows one policy
 * ({@link io.tracestream.live.SseChannel}: one write per burst, bounded back-pressure, heartbeats,
 * drop a client that stopped reading). Grizzly, reached by reflection, stays behind
 * {@link io.tracestream.live.ClientConnection}. May import {@code config}, {@code domain},
 * {@code domain.summary}, {@code store}, {@code traces}, {@code ops}, CDI ({@code jakarta.enterprise},
 * {@code jakarta.inject}), JAX-RS ({@code jakarta.ws.rs}) and the Servlet API ({@code jakarta.servlet}).
 */
package io.tracestream.live;
