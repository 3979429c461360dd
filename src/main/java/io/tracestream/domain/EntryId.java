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
        return digits(id, 0, dash < 0 ? id.length() : dash);
    }

    public static long sequence(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? 0 : digits(id, dash + 1, id.length());
    }

    /**
     * The number the digits from {@code from} to {@code to} spell, read in place: a live event is
     * compared with each stream's position, so this runs once per delivery and should not allocate.
     * Up to 19 digits fit in an unsigned long, as in Redis.
     */
    private static long digits(String id, int from, int to) {
        if (from >= to || to - from > 19) {
            throw new NumberFormatException("not an event id: " + id);
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = id.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not an event id: " + id);
            }
            n = n * 10 + d;
        }
        return n;
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
