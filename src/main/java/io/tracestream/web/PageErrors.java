package io.tracestream.web;

import io.tracestream.http.ErrorPage;
import io.tracestream.http.Problem;
import io.tracestream.http.Problems;
import io.tracestream.traces.TraceRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dashboard request that cannot be answered: a page for a browser (it asks for {@code
 * text/html}), an {@code application/problem+json} document, as the API answers, for anything
 * else (curl, scripts, the pages' own fetches).
 */
@ApplicationScoped
public class PageErrors implements ErrorPage {

    @Inject
    PageRenderer pages;
    @Inject
    Problems problems;

    /**
     * @param kind    the last part of the problem's type, e.g. {@code trace-not-found}
     * @param title   what kind of problem, short
     * @param message what was wrong with this request
     */
    public void send(HttpServletRequest request, HttpServletResponse response, int status, String kind, String title,
                     String message) throws IOException {
        send(request, response, Problem.of(status, kind, title, message));
    }

    @Override
    public void send(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        if (wantsHtml(request)) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("title", problem.title());
            page.put("message", problem.detail());
            pages.render(request, response, problem.status(), "message", page);
            return;
        }
        problems.send(request, response, problem);
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
