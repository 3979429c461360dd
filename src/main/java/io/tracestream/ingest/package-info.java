/**
 * Taking events in: {@link io.tracestream.ingest.EventIngest}, the one application service every
 * producer feeds, and the producers' adapters beside it, each decoding its format into validated
 * events: {@code ingest.json} (the JSON API's body) and {@code ingest.otlp} (OpenTelemetry spans).
 * The demo is a producer too. It settles the trace, stores each trace's events all or nothing
 * through the store port, after the operator's content policy (capture, redaction, size), and counts
 * what it stored and what was refused. May import {@code domain}, {@code domain.content},
 * {@code store}, {@code ops} and CDI ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.ingest;
