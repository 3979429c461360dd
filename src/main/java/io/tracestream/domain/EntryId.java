package io.tracestream.domain;

import java.util.regex.Pattern;

/**
 * Ids of stored events, in the Redis Streams form {@code <millis>-<sequence>}, which both
 * adapters use. Ids of one trace increase strictly, so "resume after X" and "have I sent this?"
 * are comparisons.
 */
public final class EntryId {

    private static final Pattern FORMAT = Pattern.compile("\\d{1,19}(-\\d{1,19})?");

    private EntryId() {}

    /** True for {@code 1732262445123-0} and {@code 1732262445123}. */
    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    public static long millis(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    public static long sequence(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? 0 : Long.parseLong(id.substring(dash + 1));
    }

    /** Orders ids as the store does; {@code null} is before every id. */
    public static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int byMillis = Long.compareUnsigned(millis(a), millis(b));
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence(a), sequence(b));
    }

    public static boolean isAfter(String a, String b) {
        return compare(a, b) > 0;
    }
}
