package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.web.ServletStubs;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerErrorsAsProblemsTest {

    private static ContainerErrorsAsProblems filter() {
        ContainerErrorsAsProblems filter = new ContainerErrorsAsProblems();
        filter.problems = Problems.of(new TraceStreamConfig(), Cors.of(Set.of()));
        return filter;
    }

    @Test
    void anErrorJaxRsSendsWithoutTheMappersBecomesAProblemDocument() throws Exception {
        // Jersey refused "Accept: */*;q=x" with sendError(400) and the container answered its HTML error page.
        ServletStubs.Answer answer = new ServletStubs.Answer();
        filter().doFilter(ServletStubs.request("GET", "/traces", Map.of()), ServletStubs.response(answer),
                (req, res) -> ((jakarta.servlet.http.HttpServletResponse) res).sendError(400));
        assertEquals(400, answer.status);
        assertTrue(answer.headers.get("Content-Type").startsWith("application/problem+json"));
        assertTrue(answer.body().contains("\"status\":400") && answer.body().contains("\"title\":\"Bad Request\""), answer.body());
    }

    @Test
    void theMessageJaxRsGaveIsTheDetail() throws Exception {
        ServletStubs.Answer answer = new ServletStubs.Answer();
        filter().doFilter(ServletStubs.request("GET", "/traces/x", Map.of()), ServletStubs.response(answer),
                (req, res) -> ((jakarta.servlet.http.HttpServletResponse) res).sendError(406, "not acceptable here"));
        assertEquals(406, answer.status);
        assertTrue(answer.body().contains("\"detail\":\"not acceptable here\""), answer.body());
    }
}
