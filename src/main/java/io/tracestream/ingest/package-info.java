/**
 * Taking events in: {@link io.tracestream.ingest.EventIngest}, the one application service every
 * producer adapter feeds (the JSON API in {@code api}, the demo, the OTLP receiver). It settles the
 * trace, stores all or nothing through the store port, and counts. May import {@code config},
 * {@code domain}, {@code store} and {@code ops}.
 */
package io.tracestream.ingest;
