package io.tracestream.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one request may do: the key (or trusted network, or browser session) it came with, that
 * key's scopes and the trace id prefixes it is limited to (empty: every trace). The access filter
 * puts it on the request under {@link #REQUEST_ATTRIBUTE}; resources read it from there.
 *
 * @param name the key's configured name, {@code "open-network"} for a trusted network; never the key
 * @param scopes what it may do
 * @param tracePrefixes the trace ids it may touch start with one of these; empty means all
 * @param expiresAt when it stops being valid ({@link Instant#MAX} for a key); a stream opened with a
 *     browser session ends then, and the browser signs in again and resumes
 */
public record Access(String name, Set<Scope> scopes, List<String> tracePrefixes, Instant expiresAt) {

    /** The servlet request attribute holding the request's {@link Access}. */
    public static final String REQUEST_ATTRIBUTE = Access.class.getName();

    public Access {
        scopes = Set.copyOf(scopes);
        tracePrefixes = List.copyOf(tracePrefixes);
    }

    /** Everything, for a client on a trusted network while no keys are configured. */
    public static Access openNetwork() {
        return new Access("open-network", Set.of(Scope.values()), List.of(), Instant.MAX);
    }

    public boolean allows(Scope scope) {
        return scopes.contains(scope);
    }

    /** Whether the trace {@code traceId} is within this access's prefixes. */
    public boolean covers(String traceId) {
        if (tracePrefixes.isEmpty()) {
            return true;
        }
        for (String prefix : tracePrefixes) {
            if (traceId.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
