package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTokenTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-04T20:00:00Z");
    private static final Instant EXPIRES = NOW.plusSeconds(8 * 3600);
    private static final Access ACCESS = new Access("team-a", Set.of(Scope.READ, Scope.INGEST), List.of("acme-", "ops-"), EXPIRES);
    private static final String FINGERPRINT = "fp-of-team-a";

    private static SessionToken at(Instant now) {
        return new SessionToken(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aGoodTokenGivesBackTheKeysNameScopesPrefixesFingerprintAndExpiry() {
        Optional<SessionToken.Session> read = at(NOW.plusSeconds(60)).verify(at(NOW).issue(ACCESS, FINGERPRINT));
        assertEquals(Optional.of(new SessionToken.Session(ACCESS, FINGERPRINT)), read);
    }

    @Test
    void aTokenWithoutItsKeysFingerprintIsRefused() throws Exception {
        // Made before sessions carried one, with the right secret: the key it came from can no longer be told.
        String payload = "{\"name\":\"team-a\",\"scopes\":[\"read\"],\"prefixes\":[],\"exp\":" + EXPIRES.getEpochSecond() + "}";
        String body = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        String token = body + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Optional.empty(), at(NOW).verify(token));
    }

    @Test
    void aTokenIsRefusedFromTheMomentItExpires() {
        String token = at(NOW).issue(ACCESS, FINGERPRINT);
        assertTrue(at(EXPIRES.minusSeconds(1)).verify(token).isPresent());
        assertEquals(Optional.empty(), at(EXPIRES).verify(token));
        assertEquals(Optional.empty(), at(EXPIRES.plusSeconds(3600)).verify(token));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        SessionToken other = new SessionToken("another-secret-of-thirty-two-chars".getBytes(StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Optional.empty(), at(NOW).verify(other.issue(ACCESS, FINGERPRINT)));
    }

    @Test
    void aTokenWhosePayloadWasChangedIsRefused() {
        String token = at(NOW).issue(ACCESS, FINGERPRINT);
        String signature = token.substring(token.indexOf('.'));
        // The holder widens their own session: all scopes, no prefixes, ten more years.
        String forged = "{\"name\":\"team-a\",\"scopes\":[\"admin\",\"ingest\",\"read\"],\"prefixes\":[],\"exp\":"
                + EXPIRES.plusSeconds(315_360_000).getEpochSecond() + "}";
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + signature;
        assertEquals(Optional.empty(), at(NOW).verify(tampered));
    }

    @Test
    void aTokenWhoseSignatureWasChangedIsRefused() {
        String token = at(NOW).issue(ACCESS, FINGERPRINT);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertEquals(Optional.empty(), at(NOW).verify(tampered));
        assertEquals(Optional.empty(), at(NOW).verify(token.substring(0, token.indexOf('.') + 1)), "no signature");
        assertEquals(Optional.empty(), at(NOW).verify(token.substring(0, token.indexOf('.'))), "no dot");
    }

    @Test
    void garbageIsRefusedWithoutAnException() {
        SessionToken tokens = at(NOW);
        for (String junk : new String[] {null, "", ".", "..", "a.b.c", "%%%.%%%", "e30.e30", "x".repeat(100_000),
                "\u0000.\u0000", "eyJuYW1lIjoxfQ.AAAA"}) {
            assertEquals(Optional.empty(), tokens.verify(junk), String.valueOf(junk).length() > 40 ? "long" : junk);
        }
    }

    @Test
    void aSecretShorterThanSixteenBytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionToken(new byte[15], Clock.systemUTC()));
    }
}
