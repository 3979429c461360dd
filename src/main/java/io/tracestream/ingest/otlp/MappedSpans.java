package io.tracestream.ingest.otlp;

import io.tracestream.domain.TraceEvent;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The events of one export request, per Trace Stream trace id (in order of first appearance;
 * each list in span order, each span's events in time order), and the spans that were rejected.
 * Every span is in exactly one of the two: a rejected span has no event here.
 *
 * @param spanCount all spans of the request, rejected ones included
 */
public record MappedSpans(Map<String, List<TraceEvent>> eventsByTrace, List<RejectedSpan> rejected, int spanCount) {

    /** How many rejections the error message names one by one before it only counts. */
    static final int NAMED_REJECTIONS = 3;

    public MappedSpans {
        eventsByTrace = Collections.unmodifiableMap(eventsByTrace);
        rejected = List.copyOf(rejected);
    }

    public int acceptedSpans() {
        return spanCount - rejected.size();
    }

    public int eventCount() {
        int n = 0;
        for (List<TraceEvent> events : eventsByTrace.values()) {
            n += events.size();
        }
        return n;
    }

    /**
     * OTLP's {@code partial_success.error_message}: how many spans were rejected and why, the
     * first few by name; {@code null} when none was.
     */
    public String errorMessage() {
        if (rejected.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        out.append(rejected.size()).append(" of ").append(spanCount).append(spanCount == 1 ? " span" : " spans")
                .append(" rejected: ");
        for (int i = 0; i < Math.min(NAMED_REJECTIONS, rejected.size()); i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(rejected.get(i));
        }
        if (rejected.size() > NAMED_REJECTIONS) {
            out.append("; and ").append(rejected.size() - NAMED_REJECTIONS).append(" more");
        }
        return out.toString();
    }
}
