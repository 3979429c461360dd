/**
 * The HTTP edge: every request is routed, authorised, limited and answered here, once. The route
 * table ({@link io.tracestream.http.Route}) says what each path is and which scope it needs; the
 * filters run in the one order {@link io.tracestream.http.EdgeFilters} declares (security headers,
 * container errors as problems, {@code OPTIONS} from the route table, access and stream slots, the
 * dashboard's cross-site and method checks, the JSON ingest endpoint, the gate of stream opens); the
 * error page of what the container refuses itself ({@link io.tracestream.http.ContainerErrorPage});
 * CORS ({@link io.tracestream.http.Cors});
 * one writer of problem documents ({@link io.tracestream.http.Problems}) and one of OTLP's answers
 * ({@link io.tracestream.http.OtlpAnswers}); server spans; the producers' HTTP endpoints
 * ({@link io.tracestream.http.JsonEventsEndpoint}, {@link io.tracestream.http.OtlpEndpoint}), which
 * hand the decoded, admitted events to {@code ingest}; and the Server-Sent Events transport the live
 * engine writes through ({@link io.tracestream.http.SseConnection}: Jersey's sink, the servlet
 * stream, Grizzly's connection). The JAX-RS resources ({@code api}) and pages ({@code web}) use it.
 * May import {@code config}, {@code domain}, {@code auth} (who may do what), {@code ingest} and its
 * adapters {@code ingest.json} and {@code ingest.otlp}, {@code live} (its client port),
 * {@code store} (its exceptions), {@code ops}, CDI ({@code jakarta.enterprise}, {@code jakarta.inject}),
 * the Servlet API ({@code jakarta.servlet}), JAX-RS ({@code jakarta.ws.rs}) and the OpenTelemetry API
 * ({@code io.opentelemetry.api}, {@code io.opentelemetry.context}).
 */
package io.tracestream.http;
