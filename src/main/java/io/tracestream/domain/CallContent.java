package io.tracestream.domain;

import jakarta.json.JsonObject;

/**
 * What was said in one model or tool call: the conversation in the OpenTelemetry GenAI message
 * shape ({@code body}), and the few facts about it an event carries in every frame. Why apart:
 * a prompt can be a megabyte, and a live frame goes to every subscriber; so the event carries
 * previews and a size, and the body is stored beside it and read on demand.
 *
 * <p>A producer adapter makes a {@linkplain #of raw} one (a body, nothing else known);
 * {@code domain.content.ContentPolicy} turns it into what is kept: redacted, within the size limit,
 * with previews. Read back from a stored event, {@code body} is {@code null} and {@code kept} says
 * whether the store has it.
 *
 * @param body          the GenAI-shaped document, or {@code null} when not at hand or not kept
 * @param inputPreview  the start of the last thing asked (the last user message, a tool's arguments), or {@code null}
 * @param outputPreview the start of the answer (the model's text, a tool's result), or {@code null}
 * @param bytes         the size of the kept body in UTF-8 bytes (0 when none is kept)
 * @param truncated     the body was cut to fit the limit
 * @param redacted      how many secrets were replaced before anything was stored
 * @param kept          the body is stored and readable at {@code /traces/{trace_id}/events/{id}/content}
 * @param argumentsHash a tool call's arguments as a fingerprint ({@code domain.content.ArgumentsFingerprint}),
 *                      so repeated calls are told apart whatever the previews show; {@code null} when none
 */
public record CallContent(JsonObject body, String inputPreview, String outputPreview, long bytes, boolean truncated,
                          int redacted, boolean kept, String argumentsHash) {

    public CallContent(JsonObject body, String inputPreview, String outputPreview, long bytes, boolean truncated,
                       int redacted, boolean kept) {
        this(body, inputPreview, outputPreview, bytes, truncated, redacted, kept, null);
    }

    /** A producer's content, before the operator's policy is applied. */
    public static CallContent of(JsonObject body) {
        return new CallContent(body, null, null, 0, false, 0, false, null);
    }

    /** This content without its body: what an event carries once the body is stored apart. */
    public CallContent withoutBody() {
        return body == null ? this : new CallContent(null, inputPreview, outputPreview, bytes, truncated, redacted, kept,
                argumentsHash);
    }

    /** True when there is nothing to show: no body, no preview. */
    public boolean isEmpty() {
        return body == null && inputPreview == null && outputPreview == null && !kept;
    }
}
