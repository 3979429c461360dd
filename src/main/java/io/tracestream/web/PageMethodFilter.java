package io.tracestream.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * A method the dashboard's paths do not have (PUT, DELETE, PATCH, any other) answered {@code 405}
 * with {@code Allow}, as a page or a problem document like every other dashboard error. Why a
 * filter: left to {@code HttpServlet}, such a request got the container's own HTML error page, and
 * a method it does not know (PATCH) a {@code 501}, a server error for a client's mistake (found by
 * HostileInputFuzzIT).
 */
@WebFilter(filterName = "dashboard-methods", urlPatterns = {"", "/ui/*", "/static/*"})
public class PageMethodFilter extends HttpFilter {

    private static final String DEMO = "/ui/demo";
    private static final Set<String> PAGE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> DEMO_METHODS = Set.of("POST", "OPTIONS");

    @Inject
    PageErrors errors;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean demo = DEMO.equals(request.getServletPath());
        Set<String> allowed = demo ? DEMO_METHODS : PAGE_METHODS;
        if (allowed.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String allow = demo ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
        response.setHeader("Allow", allow);
        errors.send(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method-not-allowed",
                "Method Not Allowed", request.getMethod() + " is not supported here; use " + allow);
    }
}
