package io.tracestream.web;

import io.tracestream.demo.DemoWorkflow;
import io.tracestream.http.Route;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The list page's "Run the demo" button: starts a run and sends the browser to its trace (303). */
@WebServlet(name = "dashboard-demo", urlPatterns = Route.DEMO)
public class DemoServlet extends HttpServlet {

    @Inject
    DemoWorkflow demo;
    @Inject
    PageRenderer pages;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String traceId;
        try {
            traceId = demo.start();
        } catch (IllegalStateException e) {
            pages.render(request, response, 429, "message", Map.of("title", "Enough demos for now",
                    "message", e.getMessage() + ". Watch one of them, or try again when one has finished."));
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/ui/traces/"
                + URLEncoder.encode(traceId, StandardCharsets.UTF_8));
    }
}
