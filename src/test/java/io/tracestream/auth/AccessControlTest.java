package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ops.ServiceMetrics;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
        AccessControl control = new AccessControl();
        control.keys = KeyRing.of(keys, null);
        control.limiter = KeyLimiter.of(control.keys, new KeyLimits(0, 0, 0));
        control.sessions = BrowserSessionsTest.sessions(SESSION_SECRET);
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
                    default -> null;
                });
    }

    /** A request carrying the browser session cookie of {@code access}. */
    static HttpServletRequest withSession(Access access) {
        String token = new SessionToken(SESSION_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.time.Clock.systemUTC()).issue(access);
        return (HttpServletRequest) Proxy.newProxyInstance(AccessControlTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> "10.0.0.9";
                    case "getCookies" -> new jakarta.servlet.http.Cookie[] {new jakarta.servlet.http.Cookie("ts_session", token)};
                    default -> null;
                });
    }

    @Test
    void aBrowserSessionIsAcceptedWhileItsKeyIsConfiguredAndRefusedOnceTheKeyIsRemoved() throws Exception {
        Access session = new Access("dash", java.util.Set.of(Scope.READ), List.of(),
                java.time.Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertTrue(control(KEYS, List.of()).decide(withSession(session), Route.of("GET", "/traces", null)).granted());
        String withoutDash = "[" + entry("ci", INGEST_KEY, "\"ingest\"", "") + "]";
        Refusal removed = control(withoutDash, List.of()).decide(withSession(session), Route.of("GET", "/traces", null)).refusal();
        assertEquals(401, removed.status());
    }

    @Test
    void theSignInPageGrantsAKeyThatMayReadAndCountsEveryOtherAsAFailure() throws Exception {
        AccessControl control = control(KEYS, List.of("127.0.0.0/8"));
        assertEquals("dash", control.signIn(READER_KEY).access().name());
        assertEquals("unknown_key", control.signIn("nope").refusal().reason());
        Refusal ingestOnly = control.signIn(INGEST_KEY).refusal();
        assertEquals("scope", ingestOnly.reason());
        assertFalse(ingestOnly.detail().contains(INGEST_KEY), "the key given is not repeated");
        assertEquals(Map.of("unknown_key", 1L, "scope", 1L), failures.counts);
    }

    static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Test
    void withoutKeysTheOpenNetworkGetsEverythingAndOthersAreToldHowToConfigureKeys() throws Exception {
        AccessControl control = control("", List.of("127.0.0.0/8", "::1"));
        Route admin = Route.of("POST", "/ui/demo", null);
        AccessControl.Decision local = control.decide(request("127.0.0.1", Map.of()), admin);
        assertTrue(local.granted());
        assertEquals(Access.openNetwork(), local.access());
        assertTrue(control.decide(request("::1", Map.of()), admin).granted());

        AccessControl.Decision remote = control.decide(request("192.0.2.7", Map.of()), admin);
        assertEquals(403, remote.refusal().status());
        assertTrue(remote.refusal().detail().contains("tracestream.auth.keys"), remote.refusal().detail());
        assertEquals(Map.of("network", 1L), failures.counts);
    }

    @Test
    void aRequestThroughAProxyIsNeverTakenAsFromTheOpenNetwork() throws Exception {
        AccessControl control = control("", List.of("127.0.0.0/8"));
        Route read = Route.of("GET", "/traces", null);
        assertEquals(403, control.decide(request("127.0.0.1", Map.of("X-Forwarded-For", "203.0.113.9")), read).refusal().status());
        Refusal refusal = control.decide(request("127.0.0.1", Map.of("Forwarded", "for=203.0.113.9")), read).refusal();
        assertTrue(refusal.detail().contains("proxy"), refusal.detail());
    }

    @Test
    void withKeysEvenTheOpenNetworkNeedsOne() throws Exception {
        AccessControl control = control(KEYS, List.of("127.0.0.0/8"));
        Refusal missing = control.decide(request("127.0.0.1", Map.of()), Route.of("GET", "/traces", null)).refusal();
        assertEquals(401, missing.status());
        assertEquals("missing", missing.reason());
        Refusal unknown = control.decide(request("127.0.0.1", bearer("nope")), Route.of("GET", "/traces", null)).refusal();
        assertEquals(401, unknown.status());
        assertEquals("unknown_key", unknown.reason());
        assertFalse(unknown.detail().contains("nope"), "the key presented is not repeated");
    }

    @Test
    void aKeyIsAcceptedAsBearerAndAsBasicPasswordWithAnyUser() throws Exception {
        AccessControl control = control(KEYS, List.of());
        Route read = Route.of("GET", "/traces", null);
        assertEquals("dash", control.decide(request("192.0.2.1", bearer(READER_KEY)), read).access().name());
        String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + READER_KEY).getBytes(StandardCharsets.UTF_8));
        assertEquals("dash", control.decide(request("192.0.2.1", Map.of("Authorization", basic)), read).access().name());
        assertEquals(Optional.of(READER_KEY), Credentials.key("bearer  " + READER_KEY + " "));
        assertEquals(Optional.empty(), Credentials.key("Basic !!!"));
        assertEquals(Optional.empty(), Credentials.key("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes())));
        assertEquals(Optional.empty(), Credentials.key("Digest x"));
    }

    @Test
    void aScopeTheKeyLacksIsForbiddenAndNamed() throws Exception {
        AccessControl control = control(KEYS, List.of());
        Refusal refusal = control.decide(request("192.0.2.1", bearer(READER_KEY)), Route.of("POST", "/events", null)).refusal();
        assertEquals(403, refusal.status());
        assertEquals("scope", refusal.reason());
        assertTrue(refusal.detail().contains("\"ingest\""), refusal.detail());
    }

    @Test
    void aTraceOutsideThePrefixesIsForbiddenInTheSameWordsWhateverTheTrace() throws Exception {
        AccessControl control = control(KEYS, List.of());
        HttpServletRequest ci = request("192.0.2.1", bearer(INGEST_KEY));
        assertTrue(control.decide(ci, Route.of("POST", "/traces/acme-1/events", null)).granted());
        Refusal one = control.decide(ci, Route.of("POST", "/traces/other-1/events", null)).refusal();
        Refusal two = control.decide(ci, Route.of("POST", "/traces/other-2/events", null)).refusal();
        assertEquals(403, one.status());
        assertEquals("prefix", one.reason());
        assertEquals(one, two, "nothing in the answer depends on the trace");
        Access access = control.decide(ci, Route.of("POST", "/events", null)).access();
        assertTrue(control.checkTraces(access, Set.of("acme-2")).isEmpty());
        assertTrue(control.checkTraces(access, Set.of("acme-2", "other")).isPresent(), "all or nothing");
        assertTrue(control.checkTraces(access, java.util.Collections.singleton(null)).isPresent(),
                "a limited key may not have a trace minted");
        assertTrue(control.checkTraces(Access.openNetwork(), java.util.Collections.singleton(null)).isEmpty());
    }

    @Test
    void aKeysRateAndStreamsAreLimitedAndTheDefaultsLimitNothing() throws Exception {
        AccessControl control = control(KEYS, List.of());
        Access ci = control.decide(request("192.0.2.1", bearer(INGEST_KEY)), Route.of("POST", "/events", null)).access();
        assertTrue(control.charge(ci, 10).isEmpty());
        Refusal limited = control.charge(ci, 5).orElseThrow();
        assertEquals(429, limited.status());
        assertEquals(1, limited.retryAfterSeconds(), "5 events at 10/s, rounded up to a second");
        assertTrue(control.openStream(ci).isEmpty());
        assertEquals("too_many_streams", control.openStream(ci).orElseThrow().reason());
        control.streamEnded(ci);
        assertTrue(control.openStream(ci).isEmpty(), "a slot freed by a stream's end");

        Access dash = control.decide(request("192.0.2.1", bearer(READER_KEY)), Route.of("GET", "/", null)).access();
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
