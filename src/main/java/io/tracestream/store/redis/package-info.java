/**
 * The Redis store, through Redisson: per-trace history streams, one fan-out stream read by every
 * instance through its own consumer group and by all instances through the shared group, Lua
 * scripts for the atomic steps, and {@link io.tracestream.store.redis.RedisEntries}, the one codec
 * of a stored entry. May import {@code store}, {@code domain} and Redisson ({@code org.redisson}).
 */
package io.tracestream.store.redis;
