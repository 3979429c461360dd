package io.tracestream.traces;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars as people read it, in the list's rows and on the pages alike (and as
 * {@code static/js/common.js} writes it). Small amounts keep four decimals: LLM calls often cost
 * fractions of a cent.
 */
public final class UsdText {

    private UsdText() {}

    /** {@code unknown} for null, {@code $0}, {@code $0.0123}, {@code $12.35}. */
    public static String of(BigDecimal usd) {
        if (usd == null) {
            return "unknown";
        }
        if (usd.signum() == 0) {
            return "$0";
        }
        BigDecimal shown = usd.compareTo(BigDecimal.ONE) < 0 ? usd.setScale(4, RoundingMode.HALF_UP)
                : usd.setScale(2, RoundingMode.HALF_UP);
        return "$" + shown.toPlainString();
    }
}
