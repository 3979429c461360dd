/**
 * What operators watch: metrics at {@code /metrics}, health at {@code /health}, JSON log lines and
 * the trace id they and the request spans carry. The other packages call it to count what they do
 * and to say what work they have in progress (the watchdog); it reads only the store's health,
 * statistics and workflow levels, and the JVM's threads. It reports and never decides
 * or writes state. May import {@code config}, {@code domain} and {@code store}, CDI ({@code jakarta.enterprise},
 * {@code jakarta.inject}), MicroProfile ({@code org.eclipse.microprofile}) and the OpenTelemetry API
 * ({@code io.opentelemetry.api}).
 */
package io.tracestream.ops;
