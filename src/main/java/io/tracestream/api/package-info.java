/**
 * The HTTP API: JAX-RS resources for ingest and for the SSE stream, the registry of open streams,
 * and problem responses (every 4xx and 5xx is {@code application/problem+json}). Resources stay
 * small: they check the request, then call {@code stream} and {@code domain}. May depend on
 * {@code config}, {@code domain}, {@code stream} and {@code ops}.
 */
package io.tracestream.api;
