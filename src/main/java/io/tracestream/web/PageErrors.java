package io.tracestream.web;

import io.tracestream.domain.ProblemJson;
import jakarta.enterprise.context.ApplicationScoped;
import io.tracestream.traces.TraceRows;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dashboard request that cannot be answered: a page for a browser (it asks for {@code
 * text/html}), an {@code application/problem+json} document, as the API answers, for anything
 * else (curl, scripts, the pages' own fetches).
 */
@ApplicationScoped
public class PageErrors {


    @Inject
    PageRenderer pages;

    /**
     * @param kind    the last part of the problem's type, e.g. {@code trace-not-found}
     * @param title   what kind of problem, short
     * @param message what was wrong with this request
     */
    public void send(HttpServletRequest request, HttpServletResponse response, int status, String kind, String title,
                     String message) throws IOException {
        if (wantsHtml(request)) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("title", title);
            page.put("message", message);
            pages.render(request, response, status, "message", page);
            return;
        }
        response.setStatus(status);
        response.setContentType(ProblemJson.MEDIA_TYPE + ";charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write(ProblemJson.write(status, ProblemJson.type(kind), title, message, List.of()));
    }

    /**
     * Answers 400 and true when {@code status} is not a filter the list knows, rather than show an
     * empty list that looks like "no traces".
     */
    public boolean rejectedStatusFilter(HttpServletRequest request, HttpServletResponse response, String status)
            throws IOException {
        if (status.isBlank() || TraceRows.statuses().contains(status.toLowerCase(java.util.Locale.ROOT))) {
            return false;
        }
        send(request, response, HttpServletResponse.SC_BAD_REQUEST, "invalid-parameter", "Unknown status",
                "status: one of " + String.join(", ", TraceRows.statuses()) + " expected, or none");
        return true;
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }
}
