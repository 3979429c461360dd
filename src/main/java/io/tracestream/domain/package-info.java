/**
 * What a trace is: the {@link io.tracestream.domain.TraceEvent}, its JSON form and validation,
 * trace and event ids. Plain Java plus the JSON-P API;
 * no CDI, JAX-RS or Redis types, so every rule here is tested by fast unit tests.
 * May import {@code nothing} of the project's.
 */
package io.tracestream.domain;
