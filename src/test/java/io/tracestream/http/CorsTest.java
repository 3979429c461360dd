package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorsTest {

    static Map<String, String> response(Cors cors, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        cors.responseHeaders(origin, headers::put);
        return headers;
    }

    static Map<String, String> preflight(Cors cors, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        cors.preflightHeaders(origin, "GET, OPTIONS", headers::put);
        return headers;
    }

    @Test
    void aListedOriginIsEchoedAndAnyOtherGetsNoAllowOrigin() {
        Cors cors = Cors.of(Set.of("https://dash.example"));
        Map<String, String> listed = response(cors, "https://dash.example");
        assertEquals("https://dash.example", listed.get("Access-Control-Allow-Origin"));
        assertEquals("Origin", listed.get("Vary"));
        assertEquals(Map.of("Vary", "Origin"), response(cors, "https://evil.example"));
        assertEquals(Map.of("Vary", "Origin"), response(cors, null));
        assertEquals(Map.of("Vary", "Origin"), response(cors, "null"), "a sandboxed page's origin is no listed origin");
    }

    @Test
    void byDefaultNoOriginIsAnsweredAndNothingVaries() {
        Cors cors = Cors.of(Set.of());
        assertEquals(Map.of(), response(cors, "https://dash.example"));
        assertEquals(Map.of("Allow", "GET, OPTIONS"), preflight(cors, "https://dash.example"));
    }

    @Test
    void aPreflightFromAListedOriginMayCarryTheAuthorizationHeaderAndOthersGetNoCorsHeaders() {
        Cors cors = Cors.of(Set.of("https://dash.example"));
        Map<String, String> listed = preflight(cors, "https://dash.example");
        assertEquals("GET, OPTIONS", listed.get("Access-Control-Allow-Methods"));
        assertTrue(listed.get("Access-Control-Allow-Headers").contains("Authorization"), listed.toString());
        assertEquals(Map.of("Allow", "GET, OPTIONS", "Vary", "Origin"), preflight(cors, "https://evil.example"));
    }
}
