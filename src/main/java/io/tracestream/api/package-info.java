/**
 * The HTTP API: the JSON API's producer adapter ({@link io.tracestream.api.IngestFilter}, which
 * reads a body and hands it to the ingest service), the JAX-RS resources that open streams and read
 * traces, CORS, problem documents (every 4xx and 5xx is {@code application/problem+json}) and the
 * OpenAPI description. Resources stay small: they check the request, then call {@code ingest},
 * {@code live}, {@code traces} or {@code store}. May import {@code config}, {@code domain},
 * {@code store}, {@code ingest}, {@code traces}, {@code live} and {@code ops}; nothing imports it.
 */
package io.tracestream.api;
