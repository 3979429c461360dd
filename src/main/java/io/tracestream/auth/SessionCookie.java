package io.tracestream.auth;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code ts_session} cookie as the browser gets it: {@code HttpOnly} (no script reads it),
 * {@code SameSite=Strict} (no other site's page sends it), {@code Secure} when the page came over
 * HTTPS, directly or through a proxy that says so. Written as a header because the Servlet
 * {@link Cookie} API of this server has no portable way to set {@code SameSite}.
 */
public final class SessionCookie {

    public static final String NAME = "ts_session";
    private static final String PATH = "/";

    private SessionCookie() {}

    /** The {@code Set-Cookie} value holding {@code token} for {@code maxAge}. */
    public static String set(String token, Duration maxAge, boolean secure) {
        return NAME + "=" + token + "; Max-Age=" + Math.max(0, maxAge.toSeconds()) + "; Path=" + PATH
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that makes the browser drop the cookie. */
    public static String clear(boolean secure) {
        return NAME + "=; Max-Age=0; Path=" + PATH + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether the browser reached us over HTTPS, here or at the TLS-terminating proxy. */
    public static boolean secure(HttpServletRequest request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    /** The token in the request's cookie, if it has one. */
    public static Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (NAME.equals(c.getName()) && c.getValue() != null && !c.getValue().isEmpty()) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }
}
