package io.tracestream.web;

import io.tracestream.auth.BrowserSessions;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A method the dashboard's paths do not have (PUT, DELETE, PATCH, any other) answered {@code 405}
 * with {@code Allow}, as a page or a problem document like every other dashboard error. Why a
 * filter: left to {@code HttpServlet}, such a request got the container's own HTML error page, and
 * a method it does not know (PATCH) a {@code 501}, a server error for a client's mistake (found by
 * HostileInputFuzzIT).
 */
@WebFilter(filterName = "dashboard-methods", urlPatterns = {"", "/ui/*", "/static/*"})
public class PageMethodFilter extends HttpFilter {

    private static final String PAGE_METHODS = "GET, HEAD, OPTIONS";
    /** The dashboard paths that take more than pages do (forms post to them), with what each takes. */
    private static final Map<String, String> FORM_METHODS = Map.of(
            DemoServlet.PATH, "POST, OPTIONS",
            BrowserSessions.SIGN_IN_PATH, "GET, HEAD, POST, OPTIONS",
            BrowserSessions.SIGN_OUT_PATH, "POST, OPTIONS");

    @Inject
    PageErrors errors;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String allow = FORM_METHODS.getOrDefault(request.getServletPath(), PAGE_METHODS);
        if (Arrays.asList(allow.split(", ")).contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Allow", allow);
        errors.send(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method-not-allowed",
                "Method Not Allowed", request.getMethod() + " is not supported here; use " + allow);
    }
}
