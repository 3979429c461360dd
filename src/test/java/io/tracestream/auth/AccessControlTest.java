package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.ServiceMetrics;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of access control, on requests made up here: who gets in, with what, and why not. */
class AccessControlTest {

    static final String INGEST_KEY = "ingest-key-1";
    static final String READER_KEY = "reader-key-1";
    static final String KEYS = "[" + entry("ci", INGEST_KEY, "\"ingest\"", "\"trace_prefixes\":[\"acme-\"],\"rate_per_s\":10,\"burst\":10,\"max_streams\":1")
            + "," + entry("dash", READER_KEY, "\"read\"", "") + "]";

    static final String SESSION_SECRET = "s".repeat(BrowserSessions.MIN_SECRET_CHARS);

    final Failures failures = new Failures();

    static String entry(String name, String key, String scopes, String extra) {
        return "{\"name\":\"" + name + "\",\"sha256\":\"" + HexFormat.of().formatHex(KeyRing.sha256(key))
                + "\",\"scopes\":[" + scopes + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    AccessControl control(String keys, List<String> openNetworks) throws Exception {
        return control(KeyRing.of(keys, null), openNetworks);
    }

    AccessControl control(KeyRing keys, List<String> openNetworks) {
        AccessControl control = new AccessControl();
        control.keys = keys;
        control.limiter = KeyLimiter.of(control.keys, new KeyLimits(0, 0, 0));
        control.sessions = BrowserSessionsTest.sessions(SESSION_SECRET, keys);
        // The default burst, refilled so slowly that no test here sees a wrong key allowed again.
        control.throttle = WrongKeyThrottle.of(10, 0.001);
        control.metrics = failures;
        control.openNetworks = openNetworks.stream().map(NetworkRange::parse).toList();
        return control;
    }

    static HttpServletRequest request(String remote, Map<String, String> headers) {
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
        return (HttpServletRequest) Proxy.newProxyInstance(AccessControlTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> lower.get(((String) args[0]).toLowerCase());
                    case "getRemoteAddr" -> remote;
                    case "getCookies" -> null;
                    case "isSecure" -> false;
                    default -> null;
                });
    }

    /** A request carrying the session cookie of {@code setCookie} (a {@code Set-Cookie} value). */
    static HttpServletRequest withCookie(String setCookie) {
        String token = setCookie.substring((SessionCookie.NAME + "=").length(), setCookie.indexOf(';'));
        return (HttpServletRequest) Proxy.newProxyInstance(AccessControlTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> "10.0.0.9";
                    case "getCookies" -> new jakarta.servlet.http.Cookie[] {new jakarta.servlet.http.Cookie(SessionCookie.NAME, token)};
                    default -> null;
                });
    }

    /** Signs in on the page with {@code key} and answers the {@code Set-Cookie} value the browser gets. */
    static String signIn(AccessControl control, String key) {
        List<String> setCookies = new java.util.ArrayList<>();
        AccessControl.Decision decision = control.signIn(request("192.0.2.1", Map.of()), BrowserSessionsTest.response(setCookies), key);
        assertTrue(decision.granted(), String.valueOf(decision.refusal()));
        return setCookies.get(0);
    }

    @Test
    void aBrowserSessionEndsWhenItsKeyIsReHashedNarrowedOrWidenedUnderTheSameName(@TempDir Path dir) throws Exception {
        // Issue 24: the key's new hash and prefixes applied to the key at once, but not to its sessions.
        Path file = dir.resolve("keys.json");
        String viewer = entry("viewer", "viewer-key", "\"read\"", "\"trace_prefixes\":[\"acme-\"]");
        KeyRingTest.write(file, "[" + viewer + "]", 0);
        AccessControl control = control(KeyRing.of(null, file), List.of());
        HttpServletRequest browser = withCookie(signIn(control, "viewer-key"));
        assertTrue(control.decide(browser, Scope.READ, "acme-x").granted());

        KeyRingTest.write(file, "[" + viewer + "]", 2);
        control.keys.reloadIfChanged();
        assertTrue(control.decide(browser, Scope.READ, "acme-x").granted(), "the file rewritten with the same key keeps its sessions");

        Map<String, String> changes = new java.util.LinkedHashMap<>();
        changes.put("re-hashed", entry("viewer", "viewer-key-2", "\"read\"", "\"trace_prefixes\":[\"acme-\"]"));
        changes.put("narrowed", entry("viewer", "viewer-key", "\"read\"", "\"trace_prefixes\":[\"acme-eu-\"]"));
        changes.put("another scope", entry("viewer", "viewer-key", "\"read\",\"admin\"", "\"trace_prefixes\":[\"acme-\"]"));
        int later = 4;
        for (Map.Entry<String, String> change : changes.entrySet()) {
            KeyRingTest.write(file, "[" + change.getValue() + "]", later++);
            control.keys.reloadIfChanged();
            Refusal ended = control.decide(browser, Scope.READ, "acme-x").refusal();
            assertEquals(401, ended == null ? 200 : ended.status(), change.getKey());
            assertTrue(ended.detail().contains("sign in again"), ended.detail());
            KeyRingTest.write(file, "[" + viewer + "]", later++);
            control.keys.reloadIfChanged();
            assertTrue(control.decide(browser, Scope.READ, "acme-x").granted(), "the same key and grant again, after " + change.getKey());
        }

        // Limits are looked up by the key's name on every request, so a session never holds old ones: it stays.
        KeyRingTest.write(file, "[" + entry("viewer", "viewer-key", "\"read\"", "\"trace_prefixes\":[\"acme-\"],\"max_streams\":1") + "]", later);
        control.keys.reloadIfChanged();
        assertTrue(control.decide(browser, Scope.READ, "acme-x").granted(), "re-limited");
    }

    @Test
    void aBrowserSessionIsAcceptedWhileItsKeyIsConfiguredAndRefusedOnceTheKeyIsRemoved() throws Exception {
        HttpServletRequest browser = withCookie(signIn(control(KEYS, List.of()), READER_KEY));
        assertTrue(control(KEYS, List.of()).decide(browser, Scope.READ, null).granted());
        String withoutDash = "[" + entry("ci", INGEST_KEY, "\"ingest\"", "") + "]";
        Refusal removed = control(withoutDash, List.of()).decide(browser, Scope.READ, null).refusal();
        assertEquals(401, removed.status());
    }

    @Test
    void theSignInPageGrantsAKeyThatMayReadAndCountsEveryOtherAsAFailure() throws Exception {
        AccessControl control = control(KEYS, List.of("127.0.0.0/8"));
        List<String> setCookies = new java.util.ArrayList<>();
        HttpServletRequest page = request("192.0.2.1", Map.of());
        assertEquals("dash", control.signIn(page, BrowserSessionsTest.response(setCookies), READER_KEY).access().name());
        assertEquals(1, setCookies.size(), "the session cookie");
        assertEquals("unknown_key", control.signIn(page, BrowserSessionsTest.response(setCookies), "nope").refusal().reason());
        Refusal ingestOnly = control.signIn(page, BrowserSessionsTest.response(setCookies), INGEST_KEY).refusal();
        assertEquals("scope", ingestOnly.reason());
        assertFalse(ingestOnly.detail().contains(INGEST_KEY), "the key given is not repeated");
        assertEquals(Map.of("unknown_key", 1L, "scope", 1L), failures.counts);
        assertEquals(1, setCookies.size(), "no cookie for a refused key");
    }

    @Test
    void wrongKeysFromOneAddressAreThrottledAfterTheBurstAndThenEvenItsRightKeyWaitsWhileOtherAddressesDoNot() throws Exception {
        // Issue 24: 200 wrong keys in 0.4 s, all plain 401.
        AccessControl control = control(KEYS, List.of());
        for (int i = 0; i < 10; i++) {
            // A forged X-Forwarded-For does not make a guess another client's: the connection's address counts.
            Map<String, String> headers = Map.of("Authorization", "Bearer guess-" + i, "X-Forwarded-For", "203.0.113." + i);
            assertEquals("unknown_key", control.decide(request("192.0.2.7", headers), Scope.READ, null).refusal().reason(), "guess " + i);
        }
        Refusal throttled = control.decide(request("192.0.2.7", bearer("guess-10")), Scope.READ, null).refusal();
        assertEquals(429, throttled.status());
        assertEquals("throttled", throttled.reason());
        assertTrue(throttled.retryAfterSeconds() >= 1, throttled.toString());
        assertTrue(throttled.detail().contains("wrong keys"), throttled.detail());
        assertEquals("throttled", control.decide(request("192.0.2.7", bearer(READER_KEY)), Scope.READ, null).refusal().reason(),
                "a right key waits too: answering it would tell right from wrong at full speed");
        List<String> setCookies = new java.util.ArrayList<>();
        assertEquals("throttled", control.signIn(request("192.0.2.7", Map.of()), BrowserSessionsTest.response(setCookies),
                READER_KEY).refusal().reason(), "the sign-in page honours the same allowance");
        assertEquals(List.of(), setCookies);

        assertTrue(control.decide(request("192.0.2.8", bearer(READER_KEY)), Scope.READ, null).granted(), "another address");
        assertEquals("missing", control.decide(request("192.0.2.7", Map.of()), Scope.READ, null).refusal().reason(),
                "no key, nothing guessed: not throttled");
        assertTrue(control.decide(withCookie(signIn(control, READER_KEY)), Scope.READ, null).granted(), "a session is no key to guess");
        assertEquals(Map.of("unknown_key", 10L, "throttled", 3L, "missing", 1L), failures.counts);
    }

    @Test
    void wrongKeysOnTheSignInPageSpendTheAddresssAllowanceAsOnTheApi() throws Exception {
        AccessControl control = control(KEYS, List.of());
        List<String> setCookies = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            control.decide(request("192.0.2.9", bearer("guess-" + i)), Scope.READ, null);
            control.signIn(request("192.0.2.9", Map.of()), BrowserSessionsTest.response(setCookies), "guess-" + i);
        }
        Refusal throttled = control.decide(request("192.0.2.9", bearer(READER_KEY)), Scope.INGEST, null).refusal();
        assertEquals("throttled", throttled.reason());
        assertEquals(List.of(), setCookies);
    }

    @Test
    void withoutKeysNothingIsThrottledAndAKeyWithoutTheScopeSpendsNoAllowance() throws Exception {
        AccessControl open = control("", List.of("127.0.0.0/8"));
        for (int i = 0; i < 50; i++) {
            assertTrue(open.decide(request("127.0.0.1", bearer("anything-" + i)), Scope.READ, null).granted());
            assertEquals("network", open.decide(request("192.0.2.7", bearer("anything-" + i)), Scope.READ, null)
                    .refusal().reason());
            open.signIn(request("127.0.0.1", Map.of()), BrowserSessionsTest.response(new java.util.ArrayList<>()), "anything-" + i);
        }
        assertTrue(open.decide(request("127.0.0.1", Map.of()), Scope.READ, null).granted());

        AccessControl keyed = control(KEYS, List.of());
        for (int i = 0; i < 50; i++) {
            assertEquals("scope", keyed.signIn(request("192.0.2.7", Map.of()), BrowserSessionsTest.response(new java.util.ArrayList<>()),
                    INGEST_KEY).refusal().reason(), "a right key, short of a scope, is no guess");
        }
        assertTrue(keyed.decide(request("192.0.2.7", bearer(READER_KEY)), Scope.READ, null).granted());
    }

    static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Test
    void withoutKeysTheOpenNetworkGetsEverythingAndOthersAreToldHowToConfigureKeys() throws Exception {
        AccessControl control = control("", List.of("127.0.0.0/8", "::1"));
        AccessControl.Decision local = control.decide(request("127.0.0.1", Map.of()), Scope.ADMIN, null);
        assertTrue(local.granted());
        assertEquals(Access.openNetwork(), local.access());
        assertTrue(control.decide(request("::1", Map.of()), Scope.ADMIN, null).granted());

        AccessControl.Decision remote = control.decide(request("192.0.2.7", Map.of()), Scope.ADMIN, null);
        assertEquals(403, remote.refusal().status());
        assertTrue(remote.refusal().detail().contains("tracestream.auth.keys"), remote.refusal().detail());
        assertEquals(Map.of("network", 1L), failures.counts);
    }

    @Test
    void aRequestThroughAProxyIsNeverTakenAsFromTheOpenNetwork() throws Exception {
        AccessControl control = control("", List.of("127.0.0.0/8"));
        assertEquals(403, control.decide(request("127.0.0.1", Map.of("X-Forwarded-For", "203.0.113.9")), Scope.READ, null).refusal().status());
        Refusal refusal = control.decide(request("127.0.0.1", Map.of("Forwarded", "for=203.0.113.9")), Scope.READ, null).refusal();
        assertTrue(refusal.detail().contains("proxy"), refusal.detail());
    }

    @Test
    void withKeysEvenTheOpenNetworkNeedsOne() throws Exception {
        AccessControl control = control(KEYS, List.of("127.0.0.0/8"));
        Refusal missing = control.decide(request("127.0.0.1", Map.of()), Scope.READ, null).refusal();
        assertEquals(401, missing.status());
        assertEquals("missing", missing.reason());
        Refusal unknown = control.decide(request("127.0.0.1", bearer("nope")), Scope.READ, null).refusal();
        assertEquals(401, unknown.status());
        assertEquals("unknown_key", unknown.reason());
        assertFalse(unknown.detail().contains("nope"), "the key presented is not repeated");
    }

    @Test
    void aKeyIsAcceptedAsBearerAndAsBasicPasswordWithAnyUser() throws Exception {
        AccessControl control = control(KEYS, List.of());
        assertEquals("dash", control.decide(request("192.0.2.1", bearer(READER_KEY)), Scope.READ, null).access().name());
        String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + READER_KEY).getBytes(StandardCharsets.UTF_8));
        assertEquals("dash", control.decide(request("192.0.2.1", Map.of("Authorization", basic)), Scope.READ, null).access().name());
        assertEquals(Optional.of(READER_KEY), Credentials.key("bearer  " + READER_KEY + " "));
        assertEquals(Optional.empty(), Credentials.key("Basic !!!"));
        assertEquals(Optional.empty(), Credentials.key("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())));
        assertEquals(Optional.empty(), Credentials.key("Digest x"));
    }

    @Test
    void aScopeTheKeyLacksIsForbiddenAndNamed() throws Exception {
        AccessControl control = control(KEYS, List.of());
        Refusal refusal = control.decide(request("192.0.2.1", bearer(READER_KEY)), Scope.INGEST, null).refusal();
        assertEquals(403, refusal.status());
        assertEquals("scope", refusal.reason());
        assertTrue(refusal.detail().contains("\"ingest\""), refusal.detail());
    }

    @Test
    void aTraceOutsideThePrefixesIsForbiddenInTheSameWordsWhateverTheTrace() throws Exception {
        AccessControl control = control(KEYS, List.of());
        HttpServletRequest ci = request("192.0.2.1", bearer(INGEST_KEY));
        assertTrue(control.decide(ci, Scope.INGEST, "acme-1").granted());
        Refusal one = control.decide(ci, Scope.INGEST, "other-1").refusal();
        Refusal two = control.decide(ci, Scope.INGEST, "other-2").refusal();
        assertEquals(403, one.status());
        assertEquals("prefix", one.reason());
        assertEquals(one, two, "nothing in the answer depends on the trace");
        Access access = control.decide(ci, Scope.INGEST, null).access();
        assertTrue(control.checkTraces(access, Set.of("acme-2")).isEmpty());
        assertTrue(control.checkTraces(access, Set.of("acme-2", "other")).isPresent(), "all or nothing");
        assertTrue(control.checkTraces(access, java.util.Collections.singleton(null)).isPresent(),
                "a limited key may not have a trace minted");
        assertTrue(control.checkTraces(Access.openNetwork(), java.util.Collections.singleton(null)).isEmpty());
    }

    @Test
    void aKeysRateAndStreamsAreLimitedAndTheDefaultsLimitNothing() throws Exception {
        AccessControl control = control(KEYS, List.of());
        Access ci = control.decide(request("192.0.2.1", bearer(INGEST_KEY)), Scope.INGEST, null).access();
        assertTrue(control.charge(ci, 10).isEmpty());
        Refusal limited = control.charge(ci, 5).orElseThrow();
        assertEquals(429, limited.status());
        assertEquals(1, limited.retryAfterSeconds(), "5 events at 10/s, rounded up to a second");
        assertTrue(control.openStream(ci).isEmpty());
        assertEquals("too_many_streams", control.openStream(ci).orElseThrow().reason());
        control.streamEnded(ci);
        assertTrue(control.openStream(ci).isEmpty(), "a slot freed by a stream's end");

        Access dash = control.decide(request("192.0.2.1", bearer(READER_KEY)), Scope.READ, null).access();
        assertTrue(control.charge(dash, 1_000_000).isEmpty());
        for (int i = 0; i < 100; i++) {
            assertTrue(control.openStream(dash).isEmpty());
        }
        assertEquals(Map.of("rate_limited", 1L, "too_many_streams", 1L), failures.counts);
    }

    /** The refusals counted, recorded instead of registered. */
    static final class Failures extends ServiceMetrics {
        final Map<String, Long> counts = new TreeMap<>();

        @Override
        public void authFailure(String reason, long count) {
            if (count > 0) {
                counts.merge(reason, count, Long::sum);
            }
        }
    }
}
