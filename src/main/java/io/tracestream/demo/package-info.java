/**
 * The demo producer: plays a realistic six-agent workflow at real pace through the ingest service,
 * so a newcomer's dashboard comes alive with no agents of their own. May import {@code config},
 * {@code domain} and {@code ingest}.
 */
package io.tracestream.demo;
