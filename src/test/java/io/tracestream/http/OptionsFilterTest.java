package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.web.ServletStubs;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OptionsFilterTest {

    private static final String LISTED = "https://dash.example";
    private final OptionsFilter filter = new OptionsFilter();

    OptionsFilterTest() {
        filter.cors = Cors.of(Set.of(LISTED));
    }

    private ServletStubs.Answer send(String method, String path, Map<String, String> headers, AtomicBoolean passed)
            throws Exception {
        ServletStubs.Answer answer = new ServletStubs.Answer();
        filter.doFilter(ServletStubs.request(method, path, headers), ServletStubs.response(answer), (req, res) -> passed.set(true));
        return answer;
    }

    @Test
    void optionsOnAnyPathIs204WithTheMethodsOfTheRouteTableAndNothingElse() throws Exception {
        Map<String, String> allows = Map.of("/traces", "GET, HEAD, OPTIONS", "/traces/t1/events", "GET, POST, OPTIONS",
                "/traces/t1/stream", "GET, HEAD, OPTIONS", "/v1/traces", "POST, OPTIONS", "/events", "POST, OPTIONS",
                "/application.wadl", "GET, HEAD, OPTIONS", "/ui/demo", "POST, OPTIONS");
        for (Map.Entry<String, String> path : allows.entrySet()) {
            AtomicBoolean passed = new AtomicBoolean();
            ServletStubs.Answer answer = send("OPTIONS", path.getKey(), Map.of(), passed);
            assertEquals(204, answer.status, path.getKey());
            assertEquals(path.getValue(), answer.headers.get("Allow"), path.getKey());
            assertEquals("", answer.body(), path.getKey());
            assertFalse(passed.get(), path.getKey() + ": not passed on (Jersey would answer with its own methods, or WADL)");
        }
    }

    @Test
    void aPreflightFromAListedOriginGetsItsCorsHeadersAndFromAnotherNone() throws Exception {
        Map<String, String> ask = Map.of("Origin", LISTED, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization");
        ServletStubs.Answer listed = send("OPTIONS", "/traces/t1/events", ask, new AtomicBoolean());
        assertEquals(204, listed.status);
        assertEquals(LISTED, listed.headers.get("Access-Control-Allow-Origin"));
        assertEquals("GET, POST, OPTIONS", listed.headers.get("Access-Control-Allow-Methods"));
        assertTrue(listed.headers.get("Access-Control-Allow-Headers").contains("Authorization"));
        ServletStubs.Answer other = send("OPTIONS", "/traces/t1/events", Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), new AtomicBoolean());
        assertEquals(204, other.status);
        assertNull(other.headers.get("Access-Control-Allow-Origin"));
        assertNull(other.headers.get("Access-Control-Allow-Methods"));
    }

    @Test
    void everyOtherMethodGoesOn() throws Exception {
        for (String method : new String[] {"GET", "HEAD", "POST", "DELETE"}) {
            AtomicBoolean passed = new AtomicBoolean();
            send(method, "/traces", Map.of(), passed);
            assertTrue(passed.get(), method);
        }
    }
}
