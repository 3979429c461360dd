package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The server ends every stream after {@code tracestream.sse.max-lifetime} (3 s here); the page's
 * EventSource reconnects with Last-Event-ID and the log still holds every event exactly once.
 */
@ExtendWith(ArquillianExtension.class)
class ReconnectIT {

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of("tracestream.sse.max-lifetime", "PT3S"));
    }

    @Test
    void aStreamClosedByTheServerResumesWithEveryEventExactlyOnce() throws Exception {
        Api api = new Api(deployment);
        String traceId = "reconnect-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>(api.append(traceId, "{\"event_type\":\"workflow_started\",\"agent_id\":\"boss\"}"));
        try (Browser browser = Browser.start()) {
            browser.open(api.uri("ui/traces/" + traceId).toString());
            browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
            List<String> states = new ArrayList<>();
            // 10 s of events, one every 200 ms: the server closes the stream three times meanwhile.
            long end = System.currentTimeMillis() + 10_000;
            int n = 0;
            while (System.currentTimeMillis() < end) {
                n++;
                ids.addAll(api.append(traceId, "{\"event_type\":\"message\",\"agent_id\":\"worker\",\"attributes\":{\"n\":" + n + "}}"));
                states.add(browser.driver().findElement(By.id("connection")).getAttribute("data-state"));
                Thread.sleep(200);
            }
            ids.addAll(api.append(traceId, "{\"event_type\":\"workflow_completed\",\"agent_id\":\"boss\"}"));
            browser.await(d -> "finished".equals(d.findElement(By.id("connection")).getAttribute("data-state")));

            List<String> shown = browser.driver().findElements(By.cssSelector("#event-log li")).stream()
                    .map(li -> li.getAttribute("data-id")).toList();
            assertEquals(ids, shown, "every event exactly once, in order, across the reconnects");
            assertEquals("0", browser.driver().findElement(By.id("event-log")).getAttribute("data-duplicates"));
            int reconnects = Integer.parseInt(String.valueOf(
                    browser.script("return document.getElementById('connection').dataset.reconnects || '0'")));
            System.out.println("ReconnectIT: " + ids.size() + " events, " + reconnects + " reconnects, states seen: "
                    + states.stream().distinct().toList());
            assertTrue(reconnects >= 2, "the server closes the stream every 3 s: expected reconnects, got " + reconnects);
            assertTrue(states.contains("resumed"), "the indicator says so after a reconnect: " + states);
            assertEquals(List.of(), browser.consoleErrors());
        }
    }
}
