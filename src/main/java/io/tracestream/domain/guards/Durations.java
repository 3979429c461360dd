package io.tracestream.domain.guards;

import java.time.Duration;

/** A duration as a person reads it in a message: {@code 90 s}, {@code 31 min}, {@code 2 h 5 min}. */
final class Durations {

    private static final long SECONDS_PER_MINUTE = 60;
    private static final long MINUTES_PER_HOUR = 60;
    /** Up to this many seconds a duration reads in seconds. */
    private static final long SECONDS_SHOWN_UP_TO = 2 * SECONDS_PER_MINUTE;

    private Durations() {}

    static String text(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < SECONDS_SHOWN_UP_TO) {
            return seconds + " s";
        }
        long minutes = d.toMinutes();
        if (minutes < MINUTES_PER_HOUR) {
            return minutes + " min";
        }
        long rest = minutes % MINUTES_PER_HOUR;
        return d.toHours() + " h" + (rest == 0 ? "" : " " + rest + " min");
    }
}
