package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Run alerts in a real browser (Debian's headless Chromium) against the deployed WAR, in-memory: a
 * loop found while a trace's page is open appears at once as a banner whose events open in the log,
 * the list's row of the run gets its badge live and loses it when the run ends, and a silence's
 * banner moves to the resolved ones when the run is heard from again.
 */
@ExtendWith(ArquillianExtension.class)
class RunAlertsPageIT {

    @ArquillianResource
    URL deployment;

    Api api;
    static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of(
                "tracestream.guards.enabled", "true",
                "tracestream.guards.check-every", "PT0.1S",
                // Only the silence test's runs may fall silent in the test's time.
                "tracestream.guards.silent-after", "PT0S",
                "tracestream.guards.overrides", "quiet-: silent-after=PT1S"));
    }

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void connect() {
        api = new Api(deployment);
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static String sameSearch() {
        return event("tool_call", "researcher", "\"attributes\":{\"tool\":\"web_search\"},\"input\":{\"query\":\"latest release\"}");
    }

    String page(String path) {
        return api.uri(path).toString();
    }

    void openLive(String traceId) {
        browser.open(page("ui/traces/" + traceId));
        browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    }

    @Test
    void aLoopFoundWhileThePageIsOpenIsABannerAtOnceWhoseEventsOpenInTheLog() {
        String traceId = "loop-" + UUID.randomUUID().toString().substring(0, 8);
        api.append(traceId, event("workflow_started", "planner", ""));
        openLive(traceId);
        assertTrue(browser.driver().findElements(By.cssSelector("#run-alerts .run-alert")).isEmpty(), "no alert yet");

        List<String> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.addAll(api.append(traceId, sameSearch()));
        }
        By banner = By.cssSelector("#run-alerts .run-alerts-open .run-alert.sev-critical[data-kind='loop']");
        String text = browser.awaitText(banner);
        assertTrue(text.contains("web_search called 4 times with the same arguments"), text);
        assertTrue(text.contains("researcher"), text);
        assertEquals("1", browser.driver().findElement(By.id("run-alerts")).getAttribute("data-open"));

        // The evidence: the four calls, each a link to its row in the event log.
        List<WebElement> links = browser.driver().findElements(By.cssSelector("#run-alerts a.alert-event"));
        assertEquals(calls, links.stream().map(a -> a.getAttribute("data-event")).toList());
        links.get(3).click();
        browser.await(d -> {
            WebElement row = d.findElement(By.cssSelector("#event-log li[data-id='" + calls.get(3) + "']"));
            return row.getAttribute("class").contains("evidence") && row.findElement(By.tagName("details")).getAttribute("open") != null;
        });

        // A reload draws the banner from the summary, without the stream's event.
        browser.open(page("ui/traces/" + traceId));
        browser.awaitText(banner);
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theListRowOfARunWithAnOpenAlertGetsItsBadgeLiveAndLosesItWhenTheRunEnds() {
        String traceId = "listed-" + UUID.randomUUID().toString().substring(0, 8);
        api.append(traceId, event("workflow_started", "planner", ""));
        browser.open(page(""));
        By row = By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "']");
        browser.await(d -> !d.findElements(row).isEmpty());
        By badge = By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "'] .alert-badge");
        assertTrue(browser.driver().findElements(badge).stream().noneMatch(WebElement::isDisplayed), "no badge yet");

        for (int i = 0; i < 4; i++) {
            api.append(traceId, sameSearch());
        }
        browser.await(d -> d.findElements(badge).stream().anyMatch(WebElement::isDisplayed));
        WebElement shown = browser.driver().findElement(badge);
        assertEquals("⚠ 1", shown.getText());
        assertTrue(shown.getAttribute("class").contains("sev-critical"), shown.getAttribute("class"));
        assertTrue(shown.getAttribute("title").contains("web_search"), shown.getAttribute("title"));

        api.append(traceId, event("workflow_completed", "planner", ""));
        browser.await(d -> d.findElements(badge).stream().noneMatch(WebElement::isDisplayed));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aSilenceIsABannerUntilTheRunIsHeardFromThenItIsAmongTheResolved() {
        String traceId = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
        api.append(traceId, event("workflow_started", "planner", ""));
        openLive(traceId);
        By silent = By.cssSelector("#run-alerts .run-alerts-open .run-alert[data-kind='silent']");
        assertTrue(browser.awaitText(silent).contains("no event for"));

        api.append(traceId, event("task_started", "coder", "\"task_id\":\"t1\""));
        browser.await(d -> d.findElements(silent).isEmpty());
        assertTrue(browser.awaitText(By.cssSelector("#run-alerts .run-alerts-past > summary")).contains("1 resolved alert"));
        assertEquals("0", browser.driver().findElement(By.id("run-alerts")).getAttribute("data-open"));
        api.append(traceId, event("workflow_completed", "planner", ""));
        assertEquals(List.of(), browser.consoleErrors());
    }
}
