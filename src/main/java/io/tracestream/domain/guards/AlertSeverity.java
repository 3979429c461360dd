package io.tracestream.domain.guards;

import java.util.Locale;

/**
 * How urgent a finding is: a {@link #WARNING} is worth a look (a budget at 80%, a silent run), a
 * {@link #CRITICAL} is worth waking someone (a budget spent, a run looping). Alertmanager routes on it.
 */
public enum AlertSeverity {
    WARNING,
    CRITICAL;

    /** The name on the wire: {@code warning}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
