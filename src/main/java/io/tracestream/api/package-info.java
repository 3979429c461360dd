/**
 * The JSON API's JAX-RS resources: reading traces and their events, and opening streams of a
 * trace and of the trace list, with the OpenAPI description of them all. Resources stay small:
 * they check the request's parameters, then call {@code traces}, {@code store} or {@code live};
 * everything around them (routing, access, limits, CORS, problem documents, the SSE transport) is
 * the edge's ({@code http}). Nothing imports it. May import {@code config}, {@code domain},
 * {@code domain.summary}, {@code store}, {@code traces}, {@code live}, {@code http}, {@code auth}
 * (the request's access), {@code ops} (reads count as in-flight work), CDI ({@code jakarta.enterprise}, {@code jakarta.inject}), JAX-RS
 * ({@code jakarta.ws.rs}), the Servlet API ({@code jakarta.servlet}) and MicroProfile OpenAPI
 * ({@code org.eclipse.microprofile.openapi}).
 */
package io.tracestream.api;
