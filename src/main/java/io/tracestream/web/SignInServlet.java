package io.tracestream.web;

import io.tracestream.auth.AccessControl;
import io.tracestream.auth.BrowserSessions;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's sign-in: the user gives a key that may read once, and gets a session cookie
 * that stands in for it (see {@link BrowserSessions}); then back to the page they wanted.
 */
@WebServlet(name = "dashboard-sign-in", urlPatterns = BrowserSessions.SIGN_IN_PATH)
public class SignInServlet extends HttpServlet {

    @Inject
    AccessControl access;
    @Inject
    BrowserSessions sessions;
    @Inject
    PageRenderer pages;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        form(request, response, HttpServletResponse.SC_OK, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String key = request.getParameter("key");
        AccessControl.Decision decision = access.signIn(key == null ? "" : key.trim());
        if (!decision.granted()) {
            form(request, response, HttpServletResponse.SC_UNAUTHORIZED, decision.refusal().reason().equals("scope")
                    ? "That key may not read traces (it lacks the read scope). Use a key with the read scope."
                    : "That key is not known here. Check for a missing character, or ask whoever runs this server "
                    + "for a key with the read scope.");
            return;
        }
        sessions.signIn(decision.access(), request, response);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", SafeNext.or(request.getParameter("next"), request.getContextPath() + "/"));
    }

    private void form(HttpServletRequest request, HttpServletResponse response, int status, String error)
            throws IOException {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("title", "Sign in");
        page.put("next", SafeNext.or(request.getParameter("next"), ""));
        page.put("error", error);
        pages.render(request, response, status, "sign-in", page);
    }
}
