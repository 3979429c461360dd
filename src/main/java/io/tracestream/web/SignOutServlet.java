package io.tracestream.web;

import io.tracestream.auth.BrowserSessions;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Ends the browser session: the cookie is dropped from the browser and it goes to the sign-in
 * page. A POST (from the button every page shows when signed in), so no link or image elsewhere
 * can sign the user out.
 */
@WebServlet(name = "dashboard-sign-out", urlPatterns = BrowserSessions.SIGN_OUT_PATH)
public class SignOutServlet extends HttpServlet {

    @Inject
    BrowserSessions sessions;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        sessions.signOut(request, response);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", request.getContextPath() + BrowserSessions.SIGN_IN_PATH);
    }
}
