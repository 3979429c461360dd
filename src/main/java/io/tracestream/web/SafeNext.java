package io.tracestream.web;

/**
 * Where the sign-in page sends the browser afterwards: a path on this server only. Anything else
 * (another site, {@code //evil.example}, {@code /\evil.example}, a scheme, control characters) would
 * make the sign-in page an open redirect, so it falls back to the list.
 */
final class SafeNext {

    private SafeNext() {}

    /** {@code next} if it is a path on this server, else {@code fallback}. */
    static String or(String next, String fallback) {
        if (next == null || next.isEmpty() || next.charAt(0) != '/' || next.length() > 2048) {
            return fallback;
        }
        if (next.startsWith("//") || next.contains("\\")) {
            return fallback; // browsers read "//host" and "/\host" as another site
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return fallback; // no header splitting, no whitespace some browsers strip
            }
        }
        return next;
    }
}
