package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

    @Test
    void theCookieIsHttpOnlyStrictForTheWholeSiteAndLivesAsLongAsTheSession() {
        assertEquals("ts_session=abc.def; Max-Age=28800; Path=/; HttpOnly; SameSite=Strict",
                SessionCookie.set("abc.def", Duration.ofHours(8), false));
    }

    @Test
    void theCookieIsSecureWhenThePageCameOverHttps() {
        assertEquals("ts_session=abc.def; Max-Age=60; Path=/; HttpOnly; SameSite=Strict; Secure",
                SessionCookie.set("abc.def", Duration.ofMinutes(1), true));
    }

    @Test
    void clearingSetsAnEmptyCookieThatExpiresAtOnce() {
        assertEquals("ts_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict", SessionCookie.clear(false));
    }
}
