package io.tracestream.domain.summary;

import java.util.Locale;

/** How a step ended; {@link #OPEN} while its end has not been reported. */
public enum StepOutcome {
    OPEN,
    COMPLETED,
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
