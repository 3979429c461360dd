/**
 * The JSON producer adapter: the JSON API's request body, one event or an array of them, read
 * strictly into validated events for the ingest service
 * ({@link io.tracestream.ingest.json.EventBodyReader}). Plain Java plus JSON-P; no HTTP types.
 * May import {@code domain}, {@code domain.content} and {@code ingest}.
 */
package io.tracestream.ingest.json;
