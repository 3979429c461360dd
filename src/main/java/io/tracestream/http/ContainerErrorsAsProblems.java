package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * Errors answered with {@code sendError} (by JAX-RS without the exception mappers, or by the
 * container), as problem documents too, as every other 4xx and 5xx of the application.
 * Why: Jersey refuses some requests before a resource or a mapper is involved (an {@code Accept}
 * header it cannot parse, such as {@code *}{@code /*;q=x}) with {@code sendError}, and the
 * container then answered its own HTML error page (found by HostileInputFuzzIT). Here such an
 * error is written as {@code application/problem+json} instead, with the status Jersey chose.
 */
public class ContainerErrorsAsProblems extends HttpFilter {

    @Inject
    Problems problems;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void sendError(int status, String message) throws IOException {
                problem(request, response, status, message);
            }

            @Override
            public void sendError(int status) throws IOException {
                problem(request, response, status, null);
            }
        });
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        if (response.isCommitted()) {
            response.sendError(status, message); // too late to write a body: the container decides
            return;
        }
        response.resetBuffer();
        problems.send(request, response, problem(status, message));
        response.flushBuffer();
    }

    /** The problem of an error the container or JAX-RS answered with only a status and perhaps a message. */
    static Problem problem(int status, String message) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return Problem.of(status, title, message == null || message.isBlank() ? title : message);
    }
}
