/**
 * The demo producer: plays a realistic six-agent workflow at real pace through the ingest service,
 * so a newcomer's dashboard comes alive with no agents of their own. May import {@code config},
 * {@code domain}, {@code ingest} and CDI ({@code jakarta.enterprise}, {@code jakarta.inject}).
 */
package io.tracestream.demo;
