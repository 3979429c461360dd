package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpenApiCleanupTest {

    @Test
    void serverUrlsKeepOnlyTheirPathWithoutATrailingSlash() {
        assertEquals("/", OpenApiCleanup.pathOnly("http://localhost:8080/"));
        assertEquals("/", OpenApiCleanup.pathOnly("http://trace-stream-7f9c:8080"));
        assertEquals("/trace-stream", OpenApiCleanup.pathOnly("https://traces.internal:8181/trace-stream/"));
        assertEquals("/", OpenApiCleanup.pathOnly("/"));
    }

    @Test
    void aServerUrlThatIsNotAUriIsKeptAsItIs() {
        assertEquals("http://{host}:8080/", OpenApiCleanup.pathOnly("http://{host}:8080/"));
    }
}
