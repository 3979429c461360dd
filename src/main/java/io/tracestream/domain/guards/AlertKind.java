package io.tracestream.domain.guards;

import java.util.Locale;

/** What a run guard found; the wire names are what the stream, the summary and Alertmanager carry. */
public enum AlertKind {
    /** The same tool with the same arguments, the same hand-off cycle, or too many model calls. */
    LOOP,
    /** The run's cost or tokens passed (or neared) the per-run limit. */
    BUDGET,
    /** A running trace with no event for longer than allowed and nothing in flight. */
    SILENT,
    /** Several steps failed within a short window. */
    ERROR_BURST,
    /** A running trace older than allowed. */
    TOO_LONG;

    /** The name on the wire: {@code error_burst}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
