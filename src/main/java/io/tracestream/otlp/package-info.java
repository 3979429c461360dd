/**
 * The OTLP producer adapter's decoding and mapping: OpenTelemetry spans to TraceEvents. Depends on
 * domain and the OpenTelemetry protocol classes only.
 */
package io.tracestream.otlp;
