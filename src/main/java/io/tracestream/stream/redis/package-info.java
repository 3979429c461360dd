/**
 * The Redis {@link io.tracestream.stream.EventBus}, through Redisson: per-trace history streams,
 * one fan-out stream read by every instance through its own consumer group, Lua scripts for the
 * atomic steps. Depends on {@code stream}, {@code domain} and Redisson.
 */
package io.tracestream.stream.redis;
