/**
 * Run guards: told while a run goes wrong, not after. One {@link io.tracestream.domain.guards.RunGuards}
 * per trace watches its events as they are stored and its clock as it ticks, and raises a
 * {@link io.tracestream.domain.guards.RunAlert} the moment a run loops (the same tool with the same
 * arguments, the same hand-off cycle, too many model calls), passes its budget (the cost the summary
 * computes, or its tokens), falls silent, fails in a burst or runs too long; and the same alert again,
 * resolved, when it clears. Event timestamps and the {@code now} it is given are its only clocks, so
 * the same events and ticks raise the same alerts on any machine. Plain Java plus the JSON-P API,
 * never CDI, JAX-RS or Redis types, so fast unit tests cover every rule.
 * May import {@code domain}, {@code domain.content} and {@code domain.summary}.
 */
package io.tracestream.domain.guards;
