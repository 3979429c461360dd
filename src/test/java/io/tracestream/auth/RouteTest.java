package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void ingestAndOtlpNeedTheIngestScope() {
        assertEquals(new Route(Scope.INGEST, null, false, false, false), Route.of("POST", "/events", null));
        assertEquals(new Route(Scope.INGEST, "t1", false, false, false), Route.of("POST", "/traces/t1/events", null));
        assertEquals(new Route(Scope.INGEST, null, true, false, false), Route.of("POST", "/v1/traces", null));
    }

    @Test
    void readsStreamsAndPagesNeedReadAndNameTheirTrace() {
        assertEquals(new Route(Scope.READ, "t1", false, false, false), Route.of("GET", "/traces/t1/events", null));
        assertEquals(new Route(Scope.READ, "t1", false, false, false), Route.of("GET", "/traces/t1", null));
        assertEquals(new Route(Scope.READ, "t1", false, false, false), Route.of("GET", "/traces/t1/diagram", null));
        assertEquals(new Route(Scope.READ, "t1", false, false, true), Route.of("GET", "/traces/t1/stream", null));
        assertEquals(new Route(Scope.READ, null, false, false, false), Route.of("GET", "/traces", "application/json"));
        assertEquals(new Route(Scope.READ, null, false, false, true), Route.of("GET", "/traces", "text/event-stream"));
        assertEquals(new Route(Scope.READ, null, false, true, false), Route.of("GET", "/", null));
        assertEquals(new Route(Scope.READ, "t1", false, true, false), Route.of("GET", "/ui/traces/t1", null));
        assertEquals(new Route(Scope.READ, null, false, false, false), Route.of("GET", "/ui/list.json", null));
        assertEquals(Scope.READ, Route.of("GET", "/no/such/path", null).scope(), "even a 404 needs read");
        assertEquals(Scope.READ, Route.of("DELETE", "/traces/t1", null).scope());
    }

    @Test
    void theDemoNeedsAdmin() {
        assertEquals(Scope.ADMIN, Route.of("POST", "/ui/demo", null).scope());
    }

    @Test
    void preflightsStaticFilesAndSignInArePublic() {
        assertTrue(Route.of("OPTIONS", "/traces/t1/events", null).isPublic());
        assertTrue(Route.of("GET", "/static/js/list.js", null).isPublic());
        assertTrue(Route.of("GET", "/ui/sign-in", null).isPublic());
        assertTrue(Route.of("POST", "/ui/sign-in", null).isPublic());
        assertTrue(Route.of("POST", "/ui/sign-out", null).isPublic());
        assertFalse(Route.of("GET", "/staticx", null).isPublic());
        assertTrue(Route.of("GET", "/health/ready", null).isPublic());
        assertTrue(Route.of("GET", "/metrics", null).isPublic());
        assertTrue(Route.of("GET", "/openapi", null).isPublic());
        assertFalse(Route.of("GET", "/healthz", null).isPublic());
        assertNull(Route.of("GET", "/static/x", null).scope());
    }
}
