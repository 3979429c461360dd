/**
 * The OTLP producer adapter's decoding and mapping: OpenTelemetry spans to TraceEvents. Depends on
 * domain and the OpenTelemetry protocol classes only: plain Java, no CDI, JAX-RS or store types, so
 * the receiver around it stays thin and every mapping rule is a fast unit test.
 * May import {@code domain}, {@code io.opentelemetry.proto} and {@code com.google.protobuf}.
 */
package io.tracestream.otlp;
