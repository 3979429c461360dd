/**
 * Run guards at work: each trace's stored events, from every instance, are fed in order to its
 * {@link io.tracestream.domain.guards.RunGuards}; the alerts they raise or resolve are stored with the
 * trace (so streams, summaries and later clients see them in order, and every instance agrees on
 * them), counted, and posted to the operator's Alertmanager. Never on the path of ingest or of
 * delivery: it reads what the store announces and writes back through the store port.
 * May import {@code config}, {@code domain}, {@code domain.guards}, {@code domain.summary},
 * {@code store}, {@code ops} and CDI ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.guards;
