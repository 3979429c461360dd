/**
 * The OTLP producer adapter: an export request decoded ({@link io.tracestream.ingest.otlp.OtlpEncoding})
 * and its OpenTelemetry spans mapped to TraceEvents ({@link io.tracestream.ingest.otlp.OtlpSpanMapper}), by the
 * OpenTelemetry GenAI conventions, OpenInference's and the Vercel AI SDK's, and what real agent
 * frameworks (LangGraph, the OpenAI Agents SDK, Mastra, Google ADK) send their own way. Depends on
 * domain and the OpenTelemetry protocol classes only (and JSON-P, for JSON producers put into
 * attribute values): plain Java, no CDI, HTTP or store types, so the receiver around it stays thin
 * and every mapping rule is a fast unit test.
 * May import {@code domain}, {@code domain.content} (the one shape of what was said),
 * {@code io.opentelemetry.proto} and {@code com.google.protobuf}.
 */
package io.tracestream.ingest.otlp;
