/**
 * What the agents said: model and tool calls' content in the one shape Trace Stream keeps (the
 * OpenTelemetry GenAI message schema, {@link io.tracestream.domain.content.ContentDocument}), and
 * the operator's policy over it ({@link io.tracestream.domain.content.ContentPolicy}): what is
 * captured, which secrets are redacted, how a body is cut to its size limit, and the previews an
 * event carries. Plain Java plus the JSON-P API. May import {@code domain}.
 */
package io.tracestream.domain.content;
