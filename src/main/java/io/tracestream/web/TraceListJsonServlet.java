package io.tracestream.web;

import io.tracestream.traces.TraceRows;
import jakarta.inject.Inject;
import io.tracestream.domain.JsonFactories;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/**
 * The list page's rows as JSON, read by {@code list.js} each time its stream of list changes
 * ({@code GET /traces} as {@code text/event-stream}) opens: that stream sends changes only, so
 * whatever happened while the page was not connected comes from here.
 */
@WebServlet(name = "dashboard-list-json", urlPatterns = "/ui/list.json")
public class TraceListJsonServlet extends HttpServlet {

    @Inject
    TraceRows rows;
    @Inject
    PageErrors errors;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (errors.rejectedStatusFilter(request, response, TraceListServlet.param(request, "status"))) {
            return;
        }
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try (JsonGenerator g = JsonFactories.generator(response.getWriter())) {
            g.writeStartObject();
            g.write("now", Instant.now().toString()); // lets the page tick durations on the server's clock
            g.writeStartArray("traces");
            rows.find(TraceListServlet.param(request, "status"), TraceListServlet.param(request, "agent"),
                            TraceListServlet.tracePrefixes(request))
                    .forEach(row -> row.writeJson(g));
            g.writeEnd();
            g.writeEnd();
        }
    }
}
