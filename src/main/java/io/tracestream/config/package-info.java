/**
 * The one typed view of Trace Stream's settings ({@link io.tracestream.config.TraceStreamConfig}),
 * read through MicroProfile Config. Every other package reads settings from here and nowhere else.
 * May import {@code nothing} of the project's, and CDI ({@code jakarta.enterprise},
 * {@code jakarta.inject}) and MicroProfile Config ({@code org.eclipse.microprofile.config}).
 */
package io.tracestream.config;
