package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every {@code OPTIONS} request, answered here from the route table: {@code 204}, {@code Allow} with
 * the methods the path takes ({@link Route#allow}), and for a CORS preflight from a listed origin
 * the headers that let the browser go on ({@link Cors#preflightHeaders}). No key is needed, as a
 * browser sends none with a preflight, and nothing about the application is told beyond the methods.
 * Why here and not in JAX-RS: Jersey answers {@code OPTIONS} itself, with its own list of methods
 * and, unless disabled, a WADL description of every resource; servlets and filters answered it each
 * their own way.
 */
public class OptionsFilter extends HttpFilter {

    @Inject
    Cors cors;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!request.getMethod().equals("OPTIONS")) {
            chain.doFilter(request, response);
            return;
        }
        cors.preflightHeaders(request.getHeader(Cors.ORIGIN), Route.of(request).allow(), response::setHeader);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
