/**
 * The in-memory {@link io.tracestream.stream.EventBus}: the zero-setup default for one instance,
 * with the same semantics as the Redis adapter. Depends on {@code stream} and {@code domain}.
 */
package io.tracestream.stream.memory;
