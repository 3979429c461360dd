package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.TestDeployments;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same contract on the zero-setup in-memory backend. */
@ExtendWith(ArquillianExtension.class)
class MemoryBackendIT extends TraceStreamContract {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.inMemory();
    }

    @Test
    void theInMemoryBackendIsAlwaysReady() {
        HttpResponse<String> ready = api.get(api.serverUri("health/ready"), Map.of());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"backend\":\"memory\""), ready.body());
    }
}
