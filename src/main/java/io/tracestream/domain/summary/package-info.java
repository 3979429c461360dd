/**
 * What a trace amounts to: the workflow view folded from its events, kept up to date one event at
 * a time ({@link io.tracestream.domain.summary.TraceSummarizer}) and read as immutable
 * {@link io.tracestream.domain.summary.TraceSummary} snapshots: status, agents, steps, the call
 * graph and its critical path, the first failure, token usage and cost, and a Mermaid sequence
 * diagram of who talked to whom. Event timestamps are its only clock, so the same events give the
 * same summary on any machine, and for a trace of OpenTelemetry spans in any order they arrive.
 * Plain Java plus the JSON-P API, never CDI, JAX-RS or Redis types, so fast unit tests cover every
 * rule. May import {@code domain} and {@code domain.pricing}.
 */
package io.tracestream.domain.summary;
