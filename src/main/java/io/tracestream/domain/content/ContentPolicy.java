package io.tracestream.domain.content;

import io.tracestream.domain.CallContent;
import jakarta.json.JsonObject;
import java.util.Locale;

/**
 * What the operator lets Trace Stream keep of what the agents said, applied to each call before
 * anything is stored: whether content is captured ({@link Capture}), which secrets are redacted
 * ({@link Redaction}), and the size limit of one call's content ({@link ContentLimit}: cut, never
 * refused). It also derives the previews the event carries.
 */
public final class ContentPolicy {

    /** How much of a call's content is kept. */
    public enum Capture {
        /** The whole content (within the size limit), stored beside the event, and the previews. */
        FULL,
        /** Only the previews on the event; the content itself is not stored. */
        METADATA,
        /** Nothing: no content, no previews. */
        NONE;

        /** {@code full}, {@code metadata} or {@code none}, in any case. */
        public static Capture parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tracestream.content.capture must be full, metadata or none, not '" + value + "'", e);
            }
        }
    }

    private final Capture capture;
    private final long maxBytes;
    private final int previewChars;
    private final Redaction redaction;

    public ContentPolicy(Capture capture, long maxBytes, int previewChars, Redaction redaction) {
        this.capture = capture;
        this.maxBytes = maxBytes;
        this.previewChars = previewChars;
        this.redaction = redaction;
    }

    public Redaction redaction() {
        return redaction;
    }

    public Capture capture() {
        return capture;
    }

    /** A call's content as it is to be stored. */
    public record Kept(CallContent content, String json) {}

    /**
     * A producer's content as it is to be kept: {@code null} when nothing is; else redacted, cut to
     * the limit, with previews, and (capture {@code full}) its body and that body's JSON.
     *
     * @param tally counts the secrets redacted
     */
    public Kept apply(CallContent raw, Redaction.Tally tally) {
        if (raw == null || raw.body() == null || capture == Capture.NONE) {
            return null;
        }
        JsonObject body = raw.body();
        if (redaction.isActive()) {
            body = (JsonObject) JsonTexts.map(body, s -> redaction.apply(s, tally));
        }
        String inputPreview = Previews.input(body, previewChars);
        String outputPreview = Previews.output(body, previewChars);
        String argumentsHash = ArgumentsFingerprint.of(body);
        if (capture == Capture.METADATA) {
            return new Kept(new CallContent(null, inputPreview, outputPreview, 0, false, tally.count(), false, argumentsHash),
                    null);
        }
        ContentLimit.Fitted fitted = ContentLimit.fit(body, maxBytes);
        return new Kept(new CallContent(fitted.document(), inputPreview, outputPreview, fitted.bytes(), fitted.truncated(),
                tally.count(), true, argumentsHash), fitted.json());
    }
}
