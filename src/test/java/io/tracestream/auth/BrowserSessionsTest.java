package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import io.tracestream.config.TraceStreamConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserSessionsTest {

    private static final ApiKey KEY = new ApiKey("viewer", KeyRing.sha256("viewer-key"), Set.of(Scope.READ), List.of("acme-"),
            KeyLimits.DEFAULTS);
    private static final KeyRing KEYS = ring("[" + AccessControlTest.entry("viewer", "viewer-key", "\"read\"",
            "\"trace_prefixes\":[\"acme-\"]") + "]");

    static KeyRing ring(String json) {
        try {
            return KeyRing.of(json, null);
        } catch (KeyConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Sessions signed with {@code secret} (null: a random one), as deployed, of the key {@code viewer}. */
    static BrowserSessions sessions(String secret) {
        return sessions(secret, KEYS);
    }

    /** Sessions signed with {@code secret} (null: a random one), as deployed, of the keys in {@code keys}. */
    static BrowserSessions sessions(String secret, KeyRing keys) {
        BrowserSessions s = new BrowserSessions();
        s.keys = keys;
        s.config = new TraceStreamConfig() {
            @Override
            public Optional<String> authSessionSecret() {
                return Optional.ofNullable(secret);
            }

            @Override
            public Duration authSessionTtl() {
                return Duration.ofHours(8);
            }

            @Override
            public Optional<String> authKeys() {
                return Optional.empty();
            }

            @Override
            public Optional<String> authKeysFile() {
                return Optional.empty();
            }
        };
        s.init();
        return s;
    }

    /** Just the parts of a request these methods read. */
    static HttpServletRequest request(Map<String, Object> parts) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> parts.get("header:" + args[0]);
                    case "isSecure" -> parts.getOrDefault("secure", false);
                    default -> parts.get(method.getName());
                });
    }

    static HttpServletResponse response(List<String> setCookies) {
        return (HttpServletResponse) Proxy.newProxyInstance(HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addHeader") && "Set-Cookie".equals(args[0])) {
                        setCookies.add((String) args[1]);
                    }
                    return null;
                });
    }

    @Test
    void theCookieSetAtSignInIsTheSessionOfThatKeyForTheSessionLifetime() {
        BrowserSessions s = sessions("a-configured-secret-of-32-chars-or-more");
        List<String> set = new ArrayList<>();
        Access session = s.signIn(KEY, request(Map.of()), response(set));
        assertEquals(1, set.size());
        assertTrue(set.get(0).contains("; Max-Age=28800; "), set.get(0));
        String token = set.get(0).substring("ts_session=".length(), set.get(0).indexOf(';'));

        Map<String, Object> next = new HashMap<>();
        next.put("getCookies", new Cookie[] {new Cookie("other", "x"), new Cookie(SessionCookie.NAME, token)});
        assertEquals(Optional.of(session), s.fromCookie(request(next)));
        assertEquals(List.of("acme-"), session.tracePrefixes());
        assertTrue(Duration.between(Instant.now(), session.expiresAt()).compareTo(Duration.ofHours(8)) <= 0);
    }

    @Test
    void anotherInstanceWithTheSameSecretAcceptsTheSessionOneWithARandomSecretDoesNot() {
        String secret = "a-configured-secret-of-32-chars-or-more";
        List<String> set = new ArrayList<>();
        sessions(secret).signIn(KEY, request(Map.of()), response(set));
        String token = set.get(0).substring("ts_session=".length(), set.get(0).indexOf(';'));
        Map<String, Object> next = Map.of("getCookies", new Cookie[] {new Cookie(SessionCookie.NAME, token)});
        assertTrue(sessions(secret).fromCookie(request(next)).isPresent());
        assertEquals(Optional.empty(), sessions(null).fromCookie(request(next)));
    }

    @Test
    void aSessionIsNoLongerOnceItsKeyIsAnother() {
        BrowserSessions s = sessions("a-configured-secret-of-32-chars-or-more");
        List<String> set = new ArrayList<>();
        s.signIn(KEY, request(Map.of()), response(set));
        String token = set.get(0).substring("ts_session=".length(), set.get(0).indexOf(';'));
        Map<String, Object> next = Map.of("getCookies", new Cookie[] {new Cookie(SessionCookie.NAME, token)});
        assertTrue(s.fromCookie(request(next)).isPresent());
        s.keys = ring("[" + AccessControlTest.entry("viewer", "viewer-key", "\"read\"", "\"trace_prefixes\":[\"acme-eu-\"]") + "]");
        assertEquals(Optional.empty(), s.fromCookie(request(next)), "narrowed");
        s.keys = ring("[" + AccessControlTest.entry("other", "other-key", "\"read\"", "") + "]");
        assertEquals(Optional.empty(), s.fromCookie(request(next)), "removed");
    }

    @Test
    void theCookieIsSecureBehindAProxyThatSaysTheBrowserUsedHttps() {
        List<String> set = new ArrayList<>();
        sessions(null).signIn(KEY, request(Map.of("header:X-Forwarded-Proto", "https")), response(set));
        sessions(null).signOut(request(Map.of("secure", true)), response(set));
        assertTrue(set.get(0).endsWith("; Secure"), set.get(0));
        assertTrue(set.get(1).startsWith("ts_session=; Max-Age=0;") && set.get(1).endsWith("; Secure"), set.get(1));
    }

    @Test
    void theSignInRedirectComesBackToThePageAndQueryAskedFor() {
        HttpServletRequest r = request(Map.of("getContextPath", "/ts", "getRequestURI", "/ts/ui/traces/a b",
                "getQueryString", "x=1&y=2"));
        assertEquals("/ts/ui/sign-in?next=%2Fts%2Fui%2Ftraces%2Fa+b%3Fx%3D1%26y%3D2", sessions(null).signInRedirect(r));
        HttpServletRequest root = request(Map.of("getContextPath", "", "getRequestURI", "/"));
        assertEquals("/ui/sign-in?next=%2F", sessions(null).signInRedirect(root));
    }

    @Test
    void aConfiguredSecretShorterThan32CharactersStopsTheStart() {
        assertThrows(IllegalStateException.class, () -> sessions("too-short"));
    }
}
