/**
 * The read side: what traces amount to. Each trace's summary, folded from its history and kept
 * current from live events ({@link io.tracestream.traces.TraceSummaries}); the one scan of the trace
 * list ({@link io.tracestream.traces.TraceList}) and the dashboard's rows made from it; and the
 * workflows as a whole across instances ({@link io.tracestream.traces.WorkflowLedger}), which feeds
 * the workflow metrics. Used by {@code api}, {@code web} and {@code live}. May import {@code config},
 * {@code domain}, {@code domain.summary}, {@code store}, {@code ops} and CDI
 * ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.traces;
