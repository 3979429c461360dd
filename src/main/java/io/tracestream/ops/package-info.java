/**
 * What operators watch: metrics served at {@code /metrics}, health checks at {@code /health}.
 * Depends on {@code config}, {@code stream} and the MicroProfile Metrics and Health APIs; nothing
 * in here decides what the service does, it only reports it.
 */
package io.tracestream.ops;
