package io.tracestream.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The key a request presents in its {@code Authorization} header: {@code Bearer <key>}, or HTTP
 * Basic with the key as the password (any user name), for tools that only do Basic.
 */
public final class Credentials {

    private static final String BEARER = "bearer ";
    private static final String BASIC = "basic ";

    private Credentials() {}

    /** The presented key; empty when the header is in neither form (or holds an empty key). */
    public static Optional<String> key(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String header = authorization.trim();
        String lower = header.toLowerCase(Locale.ROOT);
        String key = null;
        if (lower.startsWith(BEARER)) {
            key = header.substring(BEARER.length()).trim();
        } else if (lower.startsWith(BASIC)) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                key = colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                key = null; // not base64: no credential this server understands
            }
        }
        return key == null || key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
