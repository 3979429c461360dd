/**
 * The dashboard: server-rendered Thymeleaf pages (the trace list at {@code /}, one trace at
 * {@code /ui/traces/{trace_id}}) that the browser's own {@code EventSource} then keeps live
 * against the API's stream endpoints, the static files those pages load (Mermaid included, so
 * nothing comes from a CDN), and the demo that plays a realistic workflow for newcomers. Every
 * value taken from an event is escaped by Thymeleaf here and inserted as text by the scripts.
 * May depend on {@code domain}, {@code stream} and {@code config}; the API does not depend on it.
 */
package io.tracestream.web;
