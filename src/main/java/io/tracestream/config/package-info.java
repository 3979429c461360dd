/**
 * The one typed view of Trace Stream's settings ({@link io.tracestream.config.TraceStreamConfig}),
 * read through MicroProfile Config. Every other package reads settings from here and nowhere
 * else; this package depends on nothing of the project's.
 */
package io.tracestream.config;
