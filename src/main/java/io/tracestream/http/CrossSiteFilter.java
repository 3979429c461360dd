package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses a state-changing page action (a POST to run the demo, sign in or sign out) that another
 * site's page sent through the user's browser; see {@link CrossSiteCheck}. 403, as a page for a
 * browser and problem+json for anything else. The session cookie is {@code SameSite=Strict} as
 * well, but signing in needs no cookie and the demo needs none while the server is open.
 */
public class CrossSiteFilter extends HttpFilter {

    @Inject
    ErrorPage errors;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String refusal = CrossSiteCheck.refusal(request.getHeader("Sec-Fetch-Site"), request.getHeader("Origin"),
                request.getHeader("Referer"), request.getHeader("Host"), request.getHeader("X-Forwarded-Host"));
        if (refusal != null) {
            errors.send(request, response, Problem.of(HttpServletResponse.SC_FORBIDDEN, "cross-site-request", "Refused", refusal));
            return;
        }
        chain.doFilter(request, response);
    }
}
