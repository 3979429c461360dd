package io.tracestream.web;

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

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String status = param(request, "status");
        String agent = param(request, "agent");
        List<TraceRow> found = rows.find(status, agent);
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
        pages.render(request, response, HttpServletResponse.SC_OK, "list", page);
    }

    static String param(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.trim();
    }
}
