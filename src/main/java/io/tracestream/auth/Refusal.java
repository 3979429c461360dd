package io.tracestream.auth;

import java.util.List;

/**
 * Why a request is not answered: 401 (no or an unknown credential), 403 (scope, trace prefix,
 * network) or 429 (rate, streams, too many wrong keys from one address). The detail names what is missing, never whether a trace
 * exists, and never a key.
 *
 * @param reason the {@code reason} label of {@code tracestream_auth_failures_total}
 * @param kind the problem type's last part ({@code urn:tracestream:problem:<kind>})
 * @param retryAfterSeconds for a 429, when to try again; else 0
 */
public record Refusal(int status, String reason, String kind, String title, String detail, long retryAfterSeconds) {

    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int TOO_MANY_REQUESTS = 429;

    /** The {@code WWW-Authenticate} challenge for a key sent as a bearer token. */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"trace-stream\"";
    /** The challenges of a 401: both ways a key may be sent (Basic: the key as the password). */
    public static final List<String> CHALLENGES = List.of(BEARER_CHALLENGE, "Basic realm=\"trace-stream\"");
}
