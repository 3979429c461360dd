package io.tracestream.api;

import io.tracestream.auth.Access;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * When a stream must end because the credential it was opened with expires: a browser session's
 * end (a key never expires). The client then reconnects, signs in again and resumes by
 * Last-Event-ID, so a stolen or outdated session cannot keep watching forever.
 */
final class StreamDeadline {

    private StreamDeadline() {}

    static Instant of(HttpServletRequest request) {
        return request.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access access ? access.expiresAt() : Instant.MAX;
    }
}
