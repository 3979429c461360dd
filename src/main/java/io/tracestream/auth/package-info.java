/**
 * Who may do what: the configured API keys and their scopes and trace prefixes, the networks
 * trusted without a key, the signed browser session that stands in for a key where
 * {@code EventSource} cannot send headers, and the per-key limits. The HTTP edge ({@code http})
 * asks it for the {@link io.tracestream.auth.Access} of a request and enforces the answer.
 * May import {@code config}, {@code domain}, {@code ops}, CDI ({@code jakarta.enterprise},
 * {@code jakarta.inject}), the Servlet API ({@code jakarta.servlet}) and MicroProfile Config
 * ({@code org.eclipse.microprofile.config}).
 */
package io.tracestream.auth;
