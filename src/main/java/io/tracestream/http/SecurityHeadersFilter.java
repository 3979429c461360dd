package io.tracestream.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The browser-hardening headers, on every response of the application: pages, static files,
 * error pages and API answers alike (on a JSON or event-stream answer they cost nothing and stop
 * a browser from sniffing it into something it can run). Set before the request is handled, so
 * even a response that is committed at once (a stream) has them.
 */
public class SecurityHeadersFilter extends HttpFilter {

    /**
     * Scripts only from this server (no inline script, no eval), so text that slipped into the
     * page as markup still could not run. Styles allow inline: bar positions and Mermaid's SVG.
     * No framing ({@code frame-ancestors}), no {@code <base>} that would move relative URLs, forms
     * post only here.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        // Trace ids in our URLs say what a team works on: never tell another site where the user came from.
        response.setHeader("Referrer-Policy", "same-origin");
        // For browsers older than frame-ancestors.
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }
}
