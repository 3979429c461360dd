/**
 * The in-memory store: the zero-setup default for one instance, with the same promises as the Redis
 * adapter (atomic appends, increasing ids, caps, expiry, dedup). May import {@code store} and
 * {@code domain}.
 */
package io.tracestream.store.memory;
