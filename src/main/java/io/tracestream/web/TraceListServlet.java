package io.tracestream.web;

import io.tracestream.auth.Access;
import io.tracestream.config.TraceStreamConfig;
import io.tracestream.traces.TraceRow;
import io.tracestream.traces.TraceRows;
import io.tracestream.demo.DemoWorkflow;
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
import java.util.TreeSet;

/**
 * The trace list, the first page a user sees. Mapped at the context root exactly ({@code ""}),
 * which the servlet spec ranks above the API's {@code /*}, so every API path still reaches JAX-RS.
 */
@WebServlet(name = "dashboard-list", urlPatterns = "")
public class TraceListServlet extends HttpServlet {

    @Inject
    TraceRows rows;
    @Inject
    PageRenderer pages;
    @Inject
    DemoWorkflow demo;
    @Inject
    TraceStreamConfig config;
    @Inject
    PageErrors errors;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String status = param(request, "status");
        String agent = param(request, "agent");
        if (errors.rejectedStatusFilter(request, response, status)) {
            return;
        }
        List<TraceRow> found = rows.find(status, agent, tracePrefixes(request));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("rows", found);
        page.put("activeCount", found.stream().filter(TraceRow::active).count());
        page.put("status", status);
        page.put("agent", agent);
        page.put("statuses", TraceRows.statuses());
        TreeSet<String> agents = new TreeSet<>();
        found.forEach(r -> agents.addAll(r.agents()));
        page.put("knownAgents", agents);
        page.put("now", Instant.now());
        page.put("demoRunning", demo.running());
        // For the live script: it keeps as many rows as the server would, and sees a trace stall,
        // which no event announces.
        page.put("maxRows", TraceRows.MAX_ROWS);
        page.put("stallAfterMs", config.stallAfter().toMillis());
        pages.render(request, response, HttpServletResponse.SC_OK, "list", page);
    }

    /** The traces the request's key may see (set by the access filter): its prefixes, empty for all. */
    static List<String> tracePrefixes(HttpServletRequest request) {
        if (!(request.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access access)) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        return access.tracePrefixes();
    }

    static String param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.trim();
    }
}
