package io.tracestream.domain;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Rules for trace ids: what a valid one looks like, and how the server mints one. */
public final class TraceId {

    public static final int MAX_LENGTH = 128;
    /** 16 random bytes: the size of a W3C / OpenTelemetry trace id, so the two can be the same. */
    private static final int MINTED_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceId() {}

    /**
     * 1 to {@link #MAX_LENGTH} characters of {@code A-Z a-z 0-9 . _ : -}. A loop rather than a
     * regular expression: it runs for every event checked by {@link TraceEventRules}, several
     * times per span on the OTLP path.
     */
    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** The reason {@code candidate} is not a trace id, for an error message. */
    public static String describeProblem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return "must not be empty";
        }
        if (candidate.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters (got " + candidate.length() + ")";
        }
        return "may contain only A-Z a-z 0-9 . _ : - characters";
    }

    /** A new random trace id: 32 lowercase hex characters. */
    public static String mint() {
        byte[] bytes = new byte[MINTED_BYTES];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
