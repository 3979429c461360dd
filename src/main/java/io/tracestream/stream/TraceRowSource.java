package io.tracestream.stream;

import io.tracestream.domain.summary.TraceStatus;
import java.util.List;
import java.util.Optional;

/**
 * A trace's line in the dashboard's list, as JSON. The dashboard ({@code web}) writes it and the
 * list stream of {@code GET /traces} ({@code api}) sends it, so the list page reads one shape
 * whether a row came from its resync or from the stream. Declared here because neither of those
 * packages may depend on the other.
 */
public interface TraceRowSource {

    /** The trace's row now; empty for a trace that has no events (never written, or expired). */
    Optional<TraceRowJson> row(String traceId);

    /**
     * @param status what the stream's status filter compares
     * @param agents what the stream's agent filter compares
     * @param json   the row as the list page's script reads it
     */
    record TraceRowJson(String traceId, TraceStatus status, List<String> agents,
                        String json) {}
}
