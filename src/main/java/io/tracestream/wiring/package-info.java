/**
 * Assembly: CDI producers that build the store adapter the configuration asks for and hand it out
 * under the store port's interfaces. Nothing imports this package; CDI injects what it produces.
 * May import {@code config}, {@code domain.content}, {@code store} and its adapters {@code store.memory} and
 * {@code store.redis}, CDI ({@code jakarta.enterprise}, {@code jakarta.inject}), and Redisson
 * ({@code org.redisson}, {@code io.netty}) to build the client.
 */
package io.tracestream.wiring;
