package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.auth.Scope;
import io.tracestream.http.Route.Answer;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void ingestAndOtlpNeedTheIngestScopeAndNameTheirTemplate() {
        assertEquals(new Route("/events", Scope.INGEST, null, Answer.PROBLEM, false, "POST, OPTIONS"),
                Route.of("POST", "/events", null));
        assertEquals(new Route("/traces/{trace_id}/events", Scope.INGEST, "t1", Answer.PROBLEM, false, "GET, POST, OPTIONS"),
                Route.of("POST", "/traces/t1/events", null));
        assertEquals(new Route("/v1/traces", Scope.INGEST, null, Answer.OTLP, false, "POST, OPTIONS"),
                Route.of("POST", "/v1/traces", null));
    }

    @Test
    void readsStreamsAndPagesNeedReadAndNameTheirTrace() {
        assertEquals(read("t1", Answer.PROBLEM, false), scopeTraceAnswerStream(Route.of("GET", "/traces/t1/events", null)));
        assertEquals(read("t1", Answer.PROBLEM, false), scopeTraceAnswerStream(Route.of("GET", "/traces/t1", null)));
        assertEquals(read("t1", Answer.PROBLEM, false), scopeTraceAnswerStream(Route.of("GET", "/traces/t1/diagram", null)));
        assertEquals(read("t1", Answer.PROBLEM, true), scopeTraceAnswerStream(Route.of("GET", "/traces/t1/stream", null)));
        assertEquals(read(null, Answer.PROBLEM, false), scopeTraceAnswerStream(Route.of("GET", "/traces", "application/json")));
        assertEquals(read(null, Answer.PROBLEM, true), scopeTraceAnswerStream(Route.of("GET", "/traces", "text/event-stream")));
        assertEquals(read(null, Answer.PAGE, false), scopeTraceAnswerStream(Route.of("GET", "/", null)));
        assertEquals(read("t1", Answer.PAGE, false), scopeTraceAnswerStream(Route.of("GET", "/ui/traces/t1", null)));
        assertEquals(read(null, Answer.PROBLEM, false), scopeTraceAnswerStream(Route.of("GET", "/ui/list.json", null)),
                "the pages' own fetches are answered with problems, not sent to sign in");
        assertEquals(Scope.READ, Route.of("GET", "/no/such/path", null).scope(), "even a 404 needs read");
        assertEquals(Scope.READ, Route.of("DELETE", "/traces/t1", null).scope());
        assertEquals("/traces/{trace_id}/stream", Route.of("GET", "/traces/t1/stream", null).template());
    }

    @Test
    void anEmptyTraceIdIsNoIngestPath() {
        assertEquals(Scope.READ, Route.of("POST", "/traces//events", null).scope());
    }

    @Test
    void theDemoNeedsAdmin() {
        assertEquals(Scope.ADMIN, Route.of("POST", "/ui/demo", null).scope());
    }

    @Test
    void preflightsStaticFilesAndSignInArePublic() {
        assertTrue(Route.of("OPTIONS", "/traces/t1/events", null).isPublic());
        assertEquals("GET, POST, OPTIONS", Route.of("OPTIONS", "/traces/t1/events", null).allow(), "a preflight says what the path takes");
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

    @Test
    void eachDashboardPathTakesItsOwnMethods() {
        assertEquals("GET, HEAD, OPTIONS", Route.of("GET", "/", null).allow());
        assertEquals("POST, OPTIONS", Route.of("GET", "/ui/demo", null).allow());
        assertEquals("GET, HEAD, POST, OPTIONS", Route.of("GET", "/ui/sign-in", null).allow());
        assertTrue(Route.of("PATCH", "/ui/traces/t1", null).takes("GET"));
        assertFalse(Route.of("PATCH", "/ui/traces/t1", null).takes("PATCH"));
    }

    private static String read(String traceId, Answer answer, boolean stream) {
        return Scope.READ + " " + traceId + " " + answer + " " + stream;
    }

    private static String scopeTraceAnswerStream(Route route) {
        return route.scope() + " " + route.traceId() + " " + route.answer() + " " + route.stream();
    }
}
