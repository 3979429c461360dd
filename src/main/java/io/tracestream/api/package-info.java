/**
 * The HTTP API: the producer adapters that hand events to the ingest service (the JSON API's
 * {@link io.tracestream.api.IngestFilter} and the OTLP receiver {@link io.tracestream.api.OtlpTraceServlet}), the JAX-RS resources that open streams and read
 * traces, the access filter in front of them all ({@link io.tracestream.api.AccessFilter}), CORS, problem documents (every 4xx and 5xx is {@code application/problem+json}) and the
 * OpenAPI description. Resources stay small: they check the request, then call {@code ingest},
 * {@code live}, {@code traces} or {@code store}. Nothing imports it. May import {@code config},
 * {@code domain}, {@code domain.summary}, {@code store}, {@code ingest}, {@code traces}, {@code live},
 * {@code otlp}, {@code ops}, {@code auth} (who may do what), the OpenTelemetry protocol classes ({@code io.opentelemetry.proto}), CDI ({@code jakarta.enterprise}, {@code jakarta.inject}), JAX-RS ({@code jakarta.ws.rs}),
 * the Servlet API ({@code jakarta.servlet}), MicroProfile OpenAPI ({@code org.eclipse.microprofile.openapi})
 * and the OpenTelemetry API ({@code io.opentelemetry.api}, {@code io.opentelemetry.context}).
 */
package io.tracestream.api;
