package io.tracestream.web;

import io.tracestream.auth.AccessControl;
import io.tracestream.auth.BrowserSessions;
import io.tracestream.auth.Refusal;
import io.tracestream.http.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's sign-in: the user gives a key that may read once, in the form's body, and gets a
 * session cookie that stands in for it (see {@link BrowserSessions}); then back to the page they
 * wanted. Too many wrong keys from one address make it wait (429), as on the API.
 */
@WebServlet(name = "dashboard-sign-in", urlPatterns = BrowserSessions.SIGN_IN_PATH)
public class SignInServlet extends HttpServlet {

    @Inject
    AccessControl access;
    @Inject
    PageRenderer pages;
    @Inject
    Problems problems;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        form(request, response, HttpServletResponse.SC_OK, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (keyInQuery(request.getQueryString())) {
            // Refused unread and unchecked: an address ends up in proxy and server logs, so the key is exposed already.
            form(request, response, HttpServletResponse.SC_BAD_REQUEST, "A key in the address (?key=...) is not taken: "
                    + "addresses end up in proxy and server logs. Type it into this form, and since it has been in an "
                    + "address, ask whoever runs this server to replace it.");
            return;
        }
        // Only the form's body is left to hold a key: the query, which getParameter also reads, has none.
        String key = request.getParameter("key");
        AccessControl.Decision decision = access.signIn(request, response, key == null ? "" : key.trim());
        if (!decision.granted()) {
            refused(request, response, decision.refusal());
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Location", SafeNext.or(request.getParameter("next"), request.getContextPath() + "/"));
    }

    private void refused(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
        if (refusal.status() == Refusal.TOO_MANY_REQUESTS) {
            if (!wantsHtml(request)) {
                problems.refuse(request, response, refusal); // a script guessing reads a problem, like the API's
                return;
            }
            // A person: the form again, saying how long to wait, and a wait a browser or proxy can read.
            response.setHeader("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            form(request, response, refusal.status(), "Too many wrong keys came from your address. Wait "
                    + refusal.retryAfterSeconds() + " s before you try again.");
            return;
        }
        form(request, response, HttpServletResponse.SC_UNAUTHORIZED, refusal.reason().equals("scope")
                ? "That key may not read traces (it lacks the read scope). Use a key with the read scope."
                : "That key is not known here. Check for a missing character, or ask whoever runs this server "
                + "for a key with the read scope.");
    }

    /** Whether {@code query} names a {@code key} parameter, however its name is percent-encoded. */
    static boolean keyInQuery(String query) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            try {
                if (URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8).equals("key")) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // A broken escape: not a name the container would read as "key" either.
            }
        }
        return false;
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
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
