package io.tracestream.auth;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArrayBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
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

    /**
     * A short digest of what a browser session made with this key stands for: the key's hash, scopes
     * and trace prefixes. The session carries it, signed, and ends once the key of its name has
     * another (re-hashed, narrowed or widened under the same name), as requests with the key itself
     * change at once; a keys file rewritten with the same entry keeps it. Limits are left out: they
     * are looked up by name on every request, so a session never holds old ones.
     */
    public String fingerprint() {
        JsonArrayBuilder scopeNames = JsonFactories.array();
        scopes.stream().map(Scope::configName).sorted().forEach(scopeNames::add);
        JsonArrayBuilder prefixes = JsonFactories.array();
        tracePrefixes.forEach(prefixes::add);
        // JSON, so that no two different grants can be written alike (a prefix may hold any character).
        String grant = JsonFactories.object()
                .add("sha256", HexFormat.of().formatHex(sha256))
                .add("scopes", scopeNames)
                .add("trace_prefixes", prefixes)
                .build().toString();
        // 96 bits: a change goes unnoticed only if the new entry collides by chance, never by design.
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(KeyRing.sha256(grant), 12));
    }

    /** Whether {@code digest} (the SHA-256 of a presented key) is this key's, in time independent of where they differ. */
    boolean matches(byte[] digest) {
        return java.security.MessageDigest.isEqual(sha256, digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && name.equals(k.name) && Arrays.equals(sha256, k.sha256)
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
