package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.web.ServletStubs;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PageMethodFilterTest {

    private final PageMethodFilter filter = new PageMethodFilter();

    PageMethodFilterTest() {
        filter.errors = Problems.of(new TraceStreamConfig(), Cors.of(Set.of()))::send;
    }

    private ServletStubs.Answer send(String method, String path, AtomicBoolean passed) throws Exception {
        ServletStubs.Answer answer = new ServletStubs.Answer();
        filter.doFilter(ServletStubs.request(method, path, Map.of("Accept", "application/json")), ServletStubs.response(answer),
                (req, res) -> passed.set(true));
        return answer;
    }

    @Test
    void aMethodNoPageHasIs405WithAllowAndAProblemNotA501() throws Exception {
        // PATCH reached HttpServlet, which answers a method it does not know with 501.
        for (String method : List.of("PATCH", "PUT", "DELETE", "FOO")) {
            for (String path : List.of("", "/ui/traces", "/static", "/ui/list.json")) {
                AtomicBoolean passed = new AtomicBoolean();
                ServletStubs.Answer answer = send(method, path, passed);
                assertEquals(405, answer.status, method + " " + path);
                assertEquals("GET, HEAD, OPTIONS", answer.headers.get("Allow"));
                assertTrue(answer.headers.get("Content-Type").startsWith("application/problem+json"));
                assertTrue(answer.body().contains("\"status\":405"), answer.body());
                assertTrue(!passed.get(), "not passed on to the servlet");
            }
        }
    }

    @Test
    void theDemoTakesOnlyPostAndPagesOnlyGetHeadAndOptions() throws Exception {
        AtomicBoolean passed = new AtomicBoolean();
        assertEquals(405, send("GET", "/ui/demo", passed).status);
        assertEquals("POST, OPTIONS", send("DELETE", "/ui/demo", passed).headers.get("Allow"));
        for (String[] ok : new String[][] {{"POST", "/ui/demo"}, {"GET", ""}, {"HEAD", "/ui/traces"}, {"OPTIONS", "/static"}}) {
            AtomicBoolean through = new AtomicBoolean();
            send(ok[0], ok[1], through);
            assertTrue(through.get(), ok[0] + " " + ok[1] + " goes on to its servlet");
        }
    }
}
