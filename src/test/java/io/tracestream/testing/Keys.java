package io.tracestream.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** API keys as integration tests configure and send them. */
public final class Keys {

    private Keys() {}

    /**
     * One entry of {@code tracestream.auth.keys} (or of the keys file).
     *
     * @param scopes the scopes as JSON strings, such as {@code "ingest","read"}
     * @param extra further members such as {@code "max_streams":1}; empty for none
     */
    public static String entry(String name, String key, String scopes, String extra) {
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + sha256(key) + "\",\"scopes\":[" + scopes + "]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** The hex SHA-256 of a key, as the configuration holds it. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header that sends {@code key}. */
    public static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    /** {@code headers} and one more. */
    public static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
