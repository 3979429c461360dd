package io.tracestream.domain.summary;

/**
 * Makes untrusted text (agent names, messages, error messages) safe to put in a Mermaid diagram.
 *
 * <p>Mermaid has no quoting for sequence-diagram text: {@code ;} and a newline end a statement,
 * {@code #} starts a comment, {@code %%} a directive, {@code :} and {@code <>} mean things in
 * participant names, and the text is later shown as HTML. Instead of escaping that list (which
 * grows with each Mermaid release), everything outside a small set of plainly harmless characters
 * is written as a Mermaid entity code such as {@code #59;}, which Mermaid turns back into the
 * character only when it draws the text. So no input can add a statement, and the reader still
 * sees exactly what the producer sent.
 */
final class MermaidText {

    /** Shown in place of text that was cut. */
    static final String ELLIPSIS = "...";
    /** Shown for a name that is empty once its whitespace is tidied. */
    static final String UNNAMED = "(unnamed)";
    private static final String HARMLESS_PUNCTUATION = " .,_-()/'!?+=[]";

    private MermaidText() {}

    /** The text as the reader will see it: whitespace runs made one space, cut to the limit. */
    static String readable(String untrusted, int maxCodePoints) {
        StringBuilder out = new StringBuilder();
        boolean pendingSpace = false;
        for (int cp : (untrusted == null ? "" : untrusted).codePoints().toArray()) {
            if (Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.appendCodePoint(cp);
        }
        String tidy = out.toString();
        if (tidy.codePointCount(0, tidy.length()) <= maxCodePoints) {
            return tidy;
        }
        int keep = Math.max(0, maxCodePoints - ELLIPSIS.length());
        return tidy.substring(0, tidy.offsetByCodePoints(0, keep)).stripTrailing() + ELLIPSIS;
    }

    /** {@link #readable} text, encoded for Mermaid. */
    static String encode(String untrusted, int maxCodePoints) {
        StringBuilder out = new StringBuilder();
        readable(untrusted, maxCodePoints).codePoints().forEach(cp -> {
            if (isHarmless(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append('#').append(cp).append(';');
            }
        });
        return out.toString();
    }

    /** A participant name: never empty, because Mermaid requires one after {@code as}. */
    static String name(String untrusted, int maxCodePoints) {
        String encoded = encode(untrusted, maxCodePoints);
        return encoded.isEmpty() ? UNNAMED : encoded;
    }

    private static boolean isHarmless(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                || HARMLESS_PUNCTUATION.indexOf(cp) >= 0;
    }
}
