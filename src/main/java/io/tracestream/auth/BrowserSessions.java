package io.tracestream.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The dashboard's signed session cookie, which stands in for a key because a browser's
 * {@code EventSource} cannot send an {@code Authorization} header.
 */
@ApplicationScoped
public class BrowserSessions {

    /** The access a valid, unexpired session cookie on {@code request} carries; empty without one. */
    public Optional<Access> fromCookie(HttpServletRequest request) {
        return Optional.empty();
    }
}
