package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's error page (WEB-INF/web.xml): errors the container answers before or after the
 * filters ran, as problem documents with the security headers like every other answer, instead of
 * Payara's HTML page. Such as the 404 of a path under {@code /WEB-INF/} or {@code /META-INF/},
 * which the container refuses before any filter, or an exception no filter or servlet caught.
 * (Errors answered with {@code sendError} inside the filters are written by
 * {@link ContainerErrorsAsProblems}; refusals of Grizzly's own, for a request it cannot parse, never
 * reach the application.)
 */
@WebServlet(name = "container-error-page", urlPatterns = ContainerErrorPage.PATH)
public class ContainerErrorPage extends HttpServlet {

    /** Where web.xml sends every error; asked for directly, it answers 404. */
    public static final String PATH = "/_container-error";

    @Inject
    transient Problems problems;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code && code >= 400
                ? code : HttpServletResponse.SC_NOT_FOUND;
        response.resetBuffer();
        if (status >= 500 || request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null) {
            // An exception's message stays in the log, as every unexpected failure's does.
            problems.send(request, response, Problem.of(status, status == 500 ? "Internal Server Error" : "Error",
                    "An unexpected error occurred; see the server log"));
            return;
        }
        String message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String m ? m : null;
        problems.send(request, response, ContainerErrorsAsProblems.problem(status, message));
    }
}
