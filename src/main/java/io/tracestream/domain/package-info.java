/**
 * What a trace is: the {@link io.tracestream.domain.TraceEvent}, its JSON form and validation,
 * trace ids, and the problem document of error answers. Plain Java plus the JSON-P API for reading and writing JSON; no CDI, JAX-RS or Redis
 * types, so every rule here is tested by fast unit tests. Depends on nothing else of the project.
 */
package io.tracestream.domain;
