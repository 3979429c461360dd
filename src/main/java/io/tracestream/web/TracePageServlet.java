package io.tracestream.web;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.TraceId;
import io.tracestream.domain.summary.SequenceDiagram;
import io.tracestream.domain.summary.TraceSummary;
import io.tracestream.domain.summary.TraceSummaryJson;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.store.StoredEvent;
import io.tracestream.store.TraceHead;
import io.tracestream.traces.TraceHistory;
import io.tracestream.traces.TraceSummaries;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One trace, rendered whole from the store: a finished trace needs nothing more, and a running
 * one hands {@code trace.js} the id of the last event drawn, so its stream resumes right after it
 * (the {@code ?last_event_id=} of the API): opened mid-run, nothing is missed or drawn twice.
 */
@WebServlet(name = "dashboard-trace", urlPatterns = "/ui/traces/*")
public class TracePageServlet extends HttpServlet {

    @Inject
    TraceHistory history;
    @Inject
    TraceSummaries summaries;
    @Inject
    PageRenderer pages;
    @Inject
    PageErrors errors;
    @Inject
    TraceStreamConfig config;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String traceId = path == null || path.length() < 2 ? "" : path.substring(1);
        if (!TraceId.isValid(traceId)) {
            errors.send(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid-parameter", "Not a trace id",
                    "trace_id: 1 to 128 characters of A-Z a-z 0-9 . _ : - expected");
            return;
        }
        try {
            List<StoredEvent> events = history.all(traceId);
            Optional<TraceSummary> summary = events.isEmpty() ? Optional.empty() : summaries.summary(traceId);
            if (summary.isEmpty()) {
                notFound(request, response, traceId);
                return;
            }
            pages.render(request, response, HttpServletResponse.SC_OK, "trace", model(summary.get(), events,
                    config.endGrace().toMillis()));
        } catch (StoreUnavailableException e) {
            errors.send(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "unavailable", "Store unavailable",
                    "The event store does not answer right now. Try again in a moment.");
        }
    }

    private static Map<String, Object> model(TraceSummary s, List<StoredEvent> events, long endGraceMillis) {
        Instant now = Instant.now();
        StoredEvent last = events.get(events.size() - 1);
        String endId = null;
        for (StoredEvent e : events) {
            endId = e.workflowEndAfter(endId);
        }
        EventLog log = EventLog.of(events, s);
        List<EventRow> rows = log.rows();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("s", s);
        page.put("status", s.status().wireName());
        // As the stream decides: finished once the workflow ended and nothing arrived for the end's grace.
        page.put("ended", new TraceHead(events.get(0).id(), last.id(), endId, null)
                .finishedAt(now.toEpochMilli(), endGraceMillis));
        page.put("lastEventId", last.id());
        page.put("summaryJson", TraceSummaryJson.write(s));
        page.put("now", now);
        page.put("timeline", TimelineView.of(s, now));
        page.put("graph", GraphView.of(s));
        page.put("events", rows);
        page.put("logInTimeOrder", log.inTimeOrder());
        page.put("failure", FailureView.of(s.failures(), s.startedAt()));
        page.put("eventTypes", new TreeSet<>(rows.stream().map(EventRow::type).toList()));
        page.put("eventAgents", new TreeSet<>(rows.stream().map(EventRow::agentId).toList()));
        page.put("usageTotal", UsageLine.of("Total", s.usage().total()));
        page.put("usageByAgent", UsageLine.of(s.usage().byAgent()));
        page.put("usageByModel", UsageLine.of(s.usage().byModel()));
        // Folded, as the timeline first is: the page's script fetches the unfolded one when asked.
        page.put("diagram", SequenceDiagram.render(s, false));
        return page;
    }

    private void notFound(HttpServletRequest request, HttpServletResponse response, String traceId) throws IOException {
        errors.send(request, response, HttpServletResponse.SC_NOT_FOUND, "trace-not-found", "Trace not found",
                "No events are stored for trace \u201c" + traceId + "\u201d: it was never written, "
                + "or it expired. It appears here once its first event arrives.");
    }
}
