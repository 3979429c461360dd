/**
 * What operators watch: metrics at {@code /metrics}, health at {@code /health}, JSON log lines and
 * the trace id they and the request spans carry. The other packages call it to count what they do;
 * it reads only the store's health, statistics and workflow levels. It reports and never decides
 * or writes state. May import {@code config} and {@code store} (and the MicroProfile Metrics,
 * Health and OpenTelemetry APIs).
 */
package io.tracestream.ops;
