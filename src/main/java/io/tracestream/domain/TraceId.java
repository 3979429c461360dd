package io.tracestream.domain;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Rules for trace ids: what a valid one looks like, and how the server mints one. */
public final class TraceId {

    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    /** 16 random bytes: the size of a W3C / OpenTelemetry trace id, so the two can be the same. */
    private static final int MINTED_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceId() {}

    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
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
