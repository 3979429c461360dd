/**
 * The dashboard: server-rendered Thymeleaf pages (the trace list at {@code /}, one trace at
 * {@code /ui/traces/{trace_id}}) that the browser's own {@code EventSource} then keeps live against
 * the API's stream endpoints, the static files those pages load (Mermaid included, so nothing comes
 * from a CDN), and the button that plays the demo. Every value taken from an event is escaped by
 * Thymeleaf here and inserted as text by the scripts. Nothing imports it. May import {@code config},
 * {@code domain}, {@code domain.summary}, {@code store} (its types), {@code traces}, {@code demo}, {@code auth} (the request's access), {@code http} (routes and problem documents), CDI
 * ({@code jakarta.enterprise}, {@code jakarta.inject}), the Servlet API ({@code jakarta.servlet}) and
 * Thymeleaf ({@code org.thymeleaf}).
 */
package io.tracestream.web;
