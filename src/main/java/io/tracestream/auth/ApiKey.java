package io.tracestream.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One configured API key: never the key itself, only its SHA-256, so a configuration that leaks
 * does not hand out the keys.
 *
 * @param name what the logs, the metrics and {@link Access#name()} call it
 * @param sha256 the SHA-256 of the key's UTF-8 bytes
 */
public record ApiKey(String name, byte[] sha256, Set<Scope> scopes, List<String> tracePrefixes, KeyLimits limits) {

    public ApiKey {
        sha256 = sha256.clone();
        scopes = Set.copyOf(scopes);
        tracePrefixes = List.copyOf(tracePrefixes);
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** What a request holding this key may do. */
    public Access access() {
        return new Access(name, scopes, tracePrefixes, Instant.MAX);
    }

    /** Whether {@code digest} (the SHA-256 of a presented key) is this key's, in time independent of where they differ. */
    boolean matches(byte[] digest) {
        return java.security.MessageDigest.isEqual(sha256, digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && name.equals(k.name) && java.util.Arrays.equals(sha256, k.sha256)
                && scopes.equals(k.scopes) && tracePrefixes.equals(k.tracePrefixes) && limits.equals(k.limits);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", scopes=" + scopes + ", tracePrefixes=" + tracePrefixes + ", " + limits + "]";
    }
}
