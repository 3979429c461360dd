/**
 * The store port: where events are kept and how every instance hears of them. {@link
 * io.tracestream.store.EventStore} (append, read, head, list, subscribe), with the small
 * {@link io.tracestream.store.StoreHealth}, {@link io.tracestream.store.WorkflowActivity} and
 * {@link io.tracestream.store.StoreStats} beside it; the adapters are the sub-packages
 * {@code memory} and {@code redis}, and the choice between them is made in {@code wiring}.
 * Knows nothing of HTTP, SSE, CDI or Redis. May import {@code domain}.
 */
package io.tracestream.store;
