package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A method the dashboard's paths do not have (PUT, DELETE, PATCH, any other; see {@link
 * Route#allow}) answered {@code 405} with {@code Allow}, as a page or a problem document like every
 * other dashboard error. Why a filter: left to {@code HttpServlet}, such a request got the
 * container's own HTML error page, and a method it does not know (PATCH) a {@code 501}, a server
 * error for a client's mistake (found by HostileInputFuzzIT).
 */
public class PageMethodFilter extends HttpFilter {

    @Inject
    ErrorPage errors;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Route route = Route.of(request);
        if (route.takes(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Allow", route.allow());
        errors.send(request, response, Problem.of(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method-not-allowed",
                "Method Not Allowed", request.getMethod() + " is not supported here; use " + route.allow()));
    }
}
