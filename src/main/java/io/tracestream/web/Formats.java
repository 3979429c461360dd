package io.tracestream.web;

import io.tracestream.traces.UsdText;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the dashboard writes durations, money, token counts and times. {@code static/js/common.js}
 * writes them the same way, so a value reads alike before and after the live script updates it.
 */
public final class Formats {

    /** The one instance handed to templates, which call its methods (`${fmt.duration(...)}`). */
    public static final Formats INSTANCE = new Formats();

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {}

    public String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long seconds = ms / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d m %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d m", seconds / 3600, (seconds % 3600) / 60);
    }

    /** Small amounts keep four decimals: LLM calls often cost fractions of a cent. */
    public String money(BigDecimal usd) {
        return UsdText.of(usd);
    }

    public String tokens(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    public String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }

    public String iso(Instant at) {
        return at == null ? "" : at.toString();
    }

    public String ago(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        long s = Math.max(0, Duration.between(at, now).getSeconds());
        if (s < 5) {
            return "just now";
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }

    /** Time since the trace started, the way the event log and timeline count. */
    public String offset(Instant at, Instant start) {
        if (at == null || start == null) {
            return "";
        }
        long ms = Duration.between(start, at).toMillis();
        return String.format(Locale.ROOT, "%s%.3f s", ms < 0 ? "-" : "+", Math.abs(ms) / 1000.0);
    }
}
