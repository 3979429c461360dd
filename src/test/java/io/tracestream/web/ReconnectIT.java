package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * The server ends every stream after {@code tracestream.sse.max-lifetime} (3 s here). The trace
 * page's EventSource reconnects with Last-Event-ID and the log still holds every event exactly
 * once; the list page's reconnects and resyncs, and lists every trace started meanwhile.
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
            recordStates(browser);
            List<String> states = new ArrayList<>();
            // An event every 200 ms until the server has closed the stream at least twice (every 3 s;
            // counted by the page's reconnects, not by the clock, which a busy machine stretches).
            long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
            int n = 0;
            while ((n < MIN_TRACES || reconnects(browser) < 2) && System.currentTimeMillis() < giveUp) {
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
            int reconnects = reconnects(browser);
            System.out.println("ReconnectIT: " + ids.size() + " events, " + reconnects + " reconnects, states seen: "
                    + states.stream().distinct().toList());
            assertTrue(reconnects >= 2, "the server closes the stream every 3 s: expected reconnects, got " + reconnects);
            assertTrue(states.contains("resumed"), "the indicator says so after a reconnect: " + states);
            assertReconnectingThenResumed(browser);
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    @Test
    void theListReconnectsByItselfAndMissesNoTraceWhileAway() throws Exception {
        Api api = new Api(deployment);
        try (Browser browser = Browser.start()) {
            browser.open(api.uri("").toString());
            browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
            recordStates(browser);
            // A new trace every 200 ms until the server has ended the list stream at least twice (every
            // 3 s; counted by the page's reconnects, not by the clock, which a busy machine stretches),
            // so some traces start while the page is away, and only the resync can bring those.
            String run = UUID.randomUUID().toString().substring(0, 8);
            Set<String> posted = new HashSet<>();
            long giveUp = System.currentTimeMillis() + GIVE_UP_MILLIS;
            for (int n = 0; (n < MIN_TRACES || reconnects(browser) < 2) && System.currentTimeMillis() < giveUp; n++) {
                String traceId = "list-" + run + "-" + n;
                api.append(traceId, "{\"event_type\":\"workflow_started\",\"agent_id\":\"lister-" + run + "\"}");
                posted.add(traceId);
                Thread.sleep(200);
            }
            browser.await(d -> listed(browser).containsAll(posted));
            int reconnects = reconnects(browser);
            long resyncs = Long.parseLong(String.valueOf(
                    browser.script("return document.getElementById('connection').dataset.resyncs || '0'")));
            long reads = (Long) browser.script("return performance.getEntriesByType('resource')"
                    + ".filter(e => e.name.includes('/ui/list.json')).length");
            System.out.println("ReconnectIT: " + posted.size() + " traces listed, " + reconnects + " list reconnects, "
                    + reads + " reads of ui/list.json");
            assertTrue(reconnects >= 2, "the server closes the list stream every 3 s: expected reconnects, got " + reconnects);
            assertEquals(reconnects + 1, resyncs, "one resync when the stream first opens and one per reconnect");
            assertEquals(resyncs, reads, "ui/list.json is read on each (re)connect only, never polled");
            assertReconnectingThenResumed(browser);
            assertEquals(List.of(), browser.consoleErrors());
        }
    }

    /** From here on the page keeps every state its connection indicator passes through, however briefly. */
    /** Events or traces posted at least, 200 ms apart: the 8 s over which a stream is ended twice on a quiet machine. */
    private static final int MIN_TRACES = 40;
    /** A bound on a hang, not on speed. */
    private static final long GIVE_UP_MILLIS = 60_000;

    private static int reconnects(Browser browser) {
        return Integer.parseInt(String.valueOf(
                browser.script("return document.getElementById('connection').dataset.reconnects || '0'")));
    }

    private static void recordStates(Browser browser) {
        browser.script("const c = document.getElementById('connection'); window.__states = [c.dataset.state];"
                + "new MutationObserver(records => records.forEach(r => window.__states.push(r.target.dataset.state)))"
                + ".observe(c, {attributes: true, attributeFilter: ['data-state']});");
    }

    /** The indicator said "reconnecting" when the stream dropped, and "resumed" once it was back. */
    private static void assertReconnectingThenResumed(Browser browser) {
        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) browser.script("return window.__states");
        int reconnecting = states.indexOf("reconnecting");
        assertTrue(reconnecting >= 0, "the indicator never said reconnecting: " + states);
        assertTrue(states.subList(reconnecting, states.size()).contains("resumed"),
                "the indicator never said resumed after reconnecting: " + states);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> listed(Browser browser) {
        return new HashSet<>((List<String>) browser.script(
                "return Array.from(document.querySelectorAll('#trace-rows tr'), tr => tr.dataset.traceId)"));
    }
}
