/**
 * Taking events in: {@link io.tracestream.ingest.EventIngest}, the one application service every
 * producer adapter feeds (the JSON API in {@code api}, the demo, the OTLP receiver). It settles the
 * trace, stores all or nothing through the store port, and counts. May import {@code domain},
 * {@code store}, {@code ops} and CDI ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.ingest;
