package io.tracestream.auth;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser session as a self-contained, signed token: {@code base64url(payload).base64url(HMAC-SHA256)},
 * the payload a JSON object with the key's name, scopes, trace prefixes, the fingerprint of the key
 * as it was at sign-in ({@link ApiKey#fingerprint()}) and the expiry in epoch seconds. Nothing is
 * kept on the server, so any instance holding the same secret accepts it; it cannot be revoked alone
 * before it expires (sign-out only drops it from the browser), but it ends with any change to its
 * key's hash or grant, which {@link BrowserSessions} checks on every request.
 */
public final class SessionToken {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Far more than any real session needs; a larger cookie is not ours. */
    private static final int MAX_TOKEN_CHARS = 8192;

    private final SecretKeySpec secret;
    private final Clock clock;

    public SessionToken(byte[] secret, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("a session secret needs at least 16 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.clock = clock;
    }

    /**
     * What a valid token says: the access it grants, and the fingerprint of the key it was made from.
     *
     * @param keyFingerprint {@link ApiKey#fingerprint()} of the key at sign-in
     */
    public record Session(Access access, String keyFingerprint) {}

    /**
     * The token for {@code access}, which must expire ({@link Access#expiresAt()} is the token's
     * expiry), made from the key whose {@link ApiKey#fingerprint()} is {@code keyFingerprint}.
     */
    public String issue(Access access, String keyFingerprint) {
        JsonArrayBuilder scopes = JsonFactories.array();
        access.scopes().stream().map(Scope::configName).sorted().forEach(scopes::add);
        JsonArrayBuilder prefixes = JsonFactories.array();
        access.tracePrefixes().forEach(prefixes::add);
        JsonObject payload = JsonFactories.object()
                .add("name", access.name())
                .add("scopes", scopes)
                .add("prefixes", prefixes)
                .add("key_fingerprint", keyFingerprint)
                .add("exp", access.expiresAt().getEpochSecond())
                .build();
        String body = ENCODER.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + ENCODER.encodeToString(sign(body));
    }

    /**
     * What the token says; empty when it is malformed, signed with another secret, altered, expired
     * or made before sessions carried their key's fingerprint (such a session cannot be checked against
     * its key, so its user signs in again). Never throws: a cookie is input from anyone.
     */
    public Optional<Session> verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        try {
            byte[] presented = DECODER.decode(token.substring(dot + 1));
            // Constant time, so the signature cannot be guessed byte by byte from response times.
            if (!MessageDigest.isEqual(sign(body), presented)) {
                return Optional.empty();
            }
            JsonObject payload;
            try (JsonReader reader = JsonFactories.reader(
                    new StringReader(new String(DECODER.decode(body), StandardCharsets.UTF_8)))) {
                payload = reader.readObject();
            }
            Instant expiresAt = Instant.ofEpochSecond(payload.getJsonNumber("exp").longValueExact());
            if (!clock.instant().isBefore(expiresAt)) {
                return Optional.empty();
            }
            return Optional.of(new Session(new Access(payload.getString("name"), scopes(payload.getJsonArray("scopes")),
                    strings(payload.getJsonArray("prefixes")), expiresAt), payload.getString("key_fingerprint")));
        } catch (RuntimeException e) {
            // Bad base64, bad JSON, a missing or mistyped field: signed by us, so only a bug gets here, but never a 500.
            return Optional.empty();
        }
    }

    private static Set<Scope> scopes(JsonArray names) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : strings(names)) {
            for (Scope s : Scope.values()) {
                if (s.configName().equals(name)) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>(array.size());
        array.getValuesAs(JsonString.class).forEach(s -> out.add(s.getString()));
        return out;
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
