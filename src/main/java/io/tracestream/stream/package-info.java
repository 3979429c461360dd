/**
 * Where events are stored and how every instance hears of them: the {@link
 * io.tracestream.stream.EventBus} port, with its {@code memory} and {@code redis} adapters in
 * sub-packages, and the {@link io.tracestream.stream.EventBusProducer} that picks one from the
 * configuration. Depends on {@code config} and {@code domain}; knows nothing of HTTP or SSE.
 */
package io.tracestream.stream;
