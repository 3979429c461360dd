package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against the deployed WAR: live
 * updates within a second, the list, failures, hostile agent names, the demo, and the screenshots
 * the README shows.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the screenshots first, before other tests' traces fill the list
class DashboardIT {

    /** The promise: an event is on the page within a second of its POST being answered. */
    static final long LIVE_LIMIT_MS = 1000;
    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    @ArquillianResource
    URL deployment;

    Api api;
    static Browser browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // The demo at 4x: its failure and retry happen within seconds, for the screenshots.
        return TestDeployments.war(Map.of("tracestream.demo.speed", "4"));
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

    static String newTraceId() {
        return "ui-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** This server's origin, as a browser names it in {@code Origin}. */
    String origin() {
        return deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort();
    }

    String page(String path) {
        return api.uri(path).toString();
    }

    void awaitLive() {
        browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    }

    /** Opens the list and waits until its stream is open and the one read of ui/list.json that follows is done. */
    void openListAndAwaitResync() {
        browser.open(page(""));
        awaitLive();
        browser.await(d -> listJsonReads() == 1);
    }

    /** Completed reads of ui/list.json by this page, as the browser's resource timing saw them. */
    long listJsonReads() {
        return (Long) browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/ui/list.json')).length");
    }

    @SuppressWarnings("unchecked")
    Set<String> listed() {
        return new HashSet<>((List<String>) browser.script(
                "return Array.from(document.querySelectorAll('#trace-rows tr'), tr => tr.dataset.traceId)"));
    }

    @Test
    void theRootServesTheListWhileEveryApiPathStillReachesTheApi() {
        HttpResponse<String> root = api.get("");
        assertEquals(200, root.statusCode());
        assertTrue(root.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), root.headers().toString());
        assertTrue(root.body().contains("<h1>Traces</h1>"), root.body());
        assertTrue(root.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));

        String traceId = newTraceId();
        api.append(traceId, event("workflow_started", "planner", ""));
        assertEquals(200, api.get("traces").statusCode());
        assertEquals(200, api.get("traces/" + traceId).statusCode());
        assertEquals(200, api.get("traces/" + traceId + "/events").statusCode());
        assertEquals(200, api.get("traces/" + traceId + "/diagram").statusCode());
        assertEquals(200, api.get(api.serverUri("openapi"), Map.of()).statusCode());
        assertEquals(404, api.get("traces/no-such-trace").statusCode());

        assertEquals(200, api.get("ui/traces/" + traceId).statusCode());
        assertEquals(404, api.get("ui/traces/no-such-trace").statusCode());
        HttpResponse<String> script = api.get("static/js/trace.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, api.get("static/vendor/mermaid-11.17.2/mermaid.min.js").statusCode());
        assertEquals(404, api.get("static/../WEB-INF/beans.xml").statusCode());
    }

    @Test
    void dashboardErrorsArePagesForBrowsersAndProblemsForEveryoneElse() {
        Map<String, String> browserAccept = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        record Case(String path, int status, String kind) {}
        for (Case c : List.of(new Case("ui/traces/no-such-trace", 404, "trace-not-found"),
                new Case("ui/traces/not%20an%20id", 400, "invalid-parameter"),
                new Case("static/js/no-such.js", 404, "not-found"),
                new Case("ui/list.json?status=finished", 400, "invalid-parameter"),
                new Case("?status=finished", 400, "invalid-parameter"))) {
            HttpResponse<String> problem = api.get(c.path());
            assertEquals(c.status(), problem.statusCode(), c.path());
            assertTrue(problem.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                    c.path() + ": " + problem.headers());
            JsonObject json = Api.json(problem);
            assertEquals("urn:tracestream:problem:" + c.kind(), json.getString("type"), c.path());
            assertEquals(c.status(), json.getInt("status"));
            assertFalse(json.getString("detail").isBlank());

            HttpResponse<String> page = api.get(api.uri(c.path()), browserAccept);
            assertEquals(c.status(), page.statusCode(), c.path());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), c.path());
            assertTrue(page.body().contains(json.getString("title")), page.body());
        }
        assertTrue(Api.json(api.get("?status=finished")).getString("detail").contains("running"),
                "the problem says which statuses exist");
    }

    @Test
    void eventsPostedAppearOnTheTracePageWithinOneSecond() {
        String traceId = newTraceId();
        api.append(traceId, event("workflow_started", "orchestrator", "\"span_id\":\"root\""));
        browser.open(page("ui/traces/" + traceId));
        awaitLive();

        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String agent = "worker-" + i;
            String id = api.append(traceId, event("task_started", agent,
                    "\"span_id\":\"s" + i + "\",\"parent_span_id\":\"root\",\"task_id\":\"step-" + i + "\"")).get(0);
            long posted = System.nanoTime();
            By row = By.cssSelector("#event-log li[data-id='" + id + "'] .ev-agent");
            String shown = browser.await(d -> browser.visibleText(row));
            latencies.add((System.nanoTime() - posted) / 1_000_000);
            assertEquals(agent, shown);
        }
        System.out.println("DashboardIT: POST answered -> event visible on the trace page, ms: " + latencies);
        latencies.forEach(ms -> assertTrue(ms < LIVE_LIMIT_MS, "an event took " + ms + " ms to show: " + latencies));

        // The summary follows the events: each new agent gets a lane with a running bar.
        browser.await(d -> d.findElements(By.cssSelector("#timeline-body .lane[data-agent='worker-5'] .bar.outcome-open")).size() == 1);
        browser.await(d -> d.findElements(By.cssSelector("#graph-svg g.node[data-agent='worker-5']")).size() == 1);
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theListShowsANewTraceAndItsStatusChangesWithoutAReload() throws InterruptedException {
        openListAndAwaitResync();
        browser.script("window.__sameDocument = true");
        String traceId = newTraceId();
        api.append(traceId, event("workflow_started", "lister", ""));
        long posted = System.nanoTime();
        By row = By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "']");
        browser.await(d -> browser.visibleText(row));
        long latency = (System.nanoTime() - posted) / 1_000_000;
        System.out.println("DashboardIT: POST answered -> new trace listed, ms: " + latency);
        assertTrue(latency < LIVE_LIMIT_MS, "the new trace took " + latency + " ms to be listed");
        assertEquals("running", browser.driver().findElement(row).getAttribute("data-status"));

        api.append(traceId, event("workflow_failed", "lister", "\"error\":{\"type\":\"Boom\",\"message\":\"it broke\"}"));
        browser.await(d -> "failed".equals(d.findElement(row).getAttribute("data-status")));
        browser.awaitText(By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "'] .chip"), "Failed"); // text-transform: capitalize
        browser.awaitText(By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "'] .row-error"), "it broke");
        assertEquals(Boolean.TRUE, browser.script("return window.__sameDocument === true"), "the page must not reload");

        // Longer than the 2 s the page used to poll at: the stream alone brought both changes.
        Thread.sleep(2500);
        assertEquals(1L, listJsonReads(), "ui/list.json is read once, when the stream opens, and never polled");
        assertEquals("1", browser.driver().findElement(By.id("connection")).getAttribute("data-resyncs"));
        assertEquals("live", browser.driver().findElement(By.id("connection")).getAttribute("data-state"));

        WebElement link = browser.driver().findElement(row).findElement(By.cssSelector("a.trace-link"));
        assertTrue(link.getAttribute("href").endsWith("/ui/traces/" + traceId), link.getAttribute("href"));

        // Keyboard: Tab reaches the trace's link, Enter opens its page.
        for (int i = 0; i < 60 && !link.equals(browser.driver().switchTo().activeElement()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertEquals(link, browser.driver().switchTo().activeElement(), "Tab never reached the trace link");
        link.sendKeys(Keys.ENTER);
        browser.await(d -> d.getCurrentUrl().endsWith("/ui/traces/" + traceId));
    }

    @Test
    void aFailureTurnsRedWithItsMessage() {
        String traceId = newTraceId();
        api.append(traceId, "[" + event("task_started", "planner", "\"span_id\":\"p\",\"task_id\":\"plan\"") + ","
                + event("task_started", "fetcher", "\"span_id\":\"f\",\"parent_span_id\":\"p\",\"task_id\":\"fetch\"") + "]");
        browser.open(page("ui/traces/" + traceId));
        awaitLive();

        api.append(traceId, event("task_failed", "fetcher", "\"span_id\":\"f\",\"parent_span_id\":\"p\",\"task_id\":\"fetch\","
                + "\"error\":{\"type\":\"TimeoutError\",\"message\":\"upstream did not answer in 30 s\"}"));
        By failedBar = By.cssSelector("#timeline-body .lane[data-agent='fetcher'] .bar.outcome-failed");
        browser.await(d -> browser.visibleText(failedBar));
        String colour = browser.driver().findElement(failedBar).getCssValue("background-color");
        assertTrue(colour.matches("rgba?\\(220, 38, 38(, 1)?\\)"), "failed steps are red: " + colour);
        assertEquals("TimeoutError", browser.awaitText(By.cssSelector("#failure .error-type")));
        assertEquals("upstream did not answer in 30 s", browser.awaitText(By.cssSelector("#failure .error-text")));
        assertEquals("planner", browser.awaitText(By.cssSelector("#failure .caller-chain li .chain-agent")));
        assertTrue(browser.driver().findElement(By.id("failure")).getAttribute("class").contains("has-failure"));
        assertEquals("failed", browser.driver().findElement(By.cssSelector("#graph-svg g.node[data-agent='fetcher']"))
                .getAttribute("class").replace("node state-", ""));
        WebElement logRow = browser.driver().findElement(By.cssSelector("#event-log li[data-type='task_failed']"));
        assertTrue(logRow.getAttribute("class").contains("failed"));
        assertTrue(logRow.getText().contains("TimeoutError: upstream did not answer in 30 s"), logRow.getText());

        // Each event expands to its full JSON.
        logRow.findElement(By.tagName("summary")).click();
        String json = logRow.findElement(By.cssSelector("pre.ev-json")).getText();
        assertTrue(json.contains("\"message\": \"upstream did not answer in 30 s\""), json);
    }

    @Test
    void aHostileAgentNameShowsAsTextAndRunsNoScript() {
        String traceId = newTraceId();
        String extra = "\"span_id\":\"x\",\"task_id\":\"" + HOSTILE + "\",\"attributes\":{\"message\":\"" + HOSTILE + "\"}";
        api.append(traceId, event("task_started", HOSTILE, extra));
        browser.open(page("ui/traces/" + traceId)); // server-rendered
        awaitLive();
        api.append(traceId, event("task_failed", HOSTILE, "\"span_id\":\"x\",\"task_id\":\"y\",\"error\":{\"type\":\"" + HOSTILE
                + "\",\"message\":\"" + HOSTILE + "\"}")); // drawn by the live script
        browser.await(d -> browser.visibleText(By.cssSelector("#failure .error-text")));

        assertEquals(HOSTILE, browser.awaitText(By.cssSelector("#event-log li:first-child .ev-agent")));
        assertEquals(HOSTILE, browser.awaitText(By.cssSelector("#event-log li:last-child .ev-agent")));
        assertEquals(HOSTILE, browser.awaitText(By.cssSelector("#timeline-body .lane .lane-name")));
        assertEquals(HOSTILE, browser.awaitText(By.cssSelector("#failure .error-text")));
        assertEquals(HOSTILE, browser.driver().findElement(By.cssSelector("#graph-svg g.node title")).getAttribute("textContent")
                .replaceAll(": .*$", ""));
        // Neither Thymeleaf nor the live script nor Mermaid turned the name into an element.
        browser.await(d -> !d.findElements(By.cssSelector("#diagram-body svg")).isEmpty());
        assertEquals(0L, browser.script("return document.querySelectorAll('img').length"));
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());

        browser.open(page("")); // the list too
        By row = By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "'] .agent-tag");
        assertEquals(HOSTILE, browser.await(d -> browser.visibleText(row)));
        assertEquals(0L, browser.script("return document.querySelectorAll('img').length"));
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
    }

    @Test
    void aHostileAgentNameAddedByTheListStreamShowsAsTextAndRunsNoScript() {
        openListAndAwaitResync(); // before the trace exists: its row can only come from the stream
        String traceId = newTraceId();
        api.append(traceId, "[" + event("workflow_started", HOSTILE, "") + ","
                + event("workflow_failed", HOSTILE, "\"error\":{\"type\":\"" + HOSTILE + "\",\"message\":\"" + HOSTILE + "\"}") + "]");
        String row = "#trace-rows tr[data-trace-id='" + traceId + "']";
        browser.awaitText(By.cssSelector(row + " .agent-tag"), HOSTILE);
        browser.awaitText(By.cssSelector(row + " .row-error"), HOSTILE);
        assertEquals(HOSTILE, browser.driver().findElement(By.cssSelector(row + " .agent-tag")).getAttribute("title"));
        assertEquals(1L, listJsonReads(), "the row came from the stream, not from a resync");
        assertEquals(0L, browser.script("return document.querySelectorAll('img').length"));
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
        assertEquals(HOSTILE, browser.script("return Array.from(document.querySelectorAll('#known-agents option'), o => o.value)"
                + ".find(v => v.startsWith('<img')) || null"), "the filter's suggestions hold the name as a value");
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theListFiltersByStatusAndAgentAlsoForRowsTheStreamBrings() {
        String agent = "filter-" + UUID.randomUUID().toString().substring(0, 8);
        String running = newTraceId();
        String failed = newTraceId();
        String otherAgent = newTraceId();
        api.append(running, event("workflow_started", agent, ""));
        api.append(failed, "[" + event("workflow_started", agent, "") + "," + event("workflow_failed", agent, "") + "]");
        api.append(otherAgent, "[" + event("workflow_started", agent + "-not", "") + "," + event("workflow_failed", agent + "-not", "") + "]");
        openListAndAwaitResync();

        browser.driver().findElement(By.id("filter-agent")).sendKeys(agent);
        browser.await(d -> listed().equals(Set.of(running, failed)));
        assertTrue(browser.driver().getCurrentUrl().contains("agent=" + agent), browser.driver().getCurrentUrl());
        new Select(browser.driver().findElement(By.id("filter-status"))).selectByValue("failed");
        browser.await(d -> listed().equals(Set.of(failed)));
        awaitLive();

        // Live, under both filters: a new failed trace joins, a new running one does not, and a
        // running trace that fails joins when it does.
        String newFailed = newTraceId();
        String newRunning = newTraceId();
        api.append(newRunning, event("workflow_started", agent, ""));
        api.append(newFailed, "[" + event("workflow_started", agent, "") + "," + event("workflow_failed", agent, "") + "]");
        browser.await(d -> listed().equals(Set.of(failed, newFailed)));
        api.append(running, event("workflow_failed", agent, ""));
        browser.await(d -> listed().equals(Set.of(failed, newFailed, running)));

        // A trace that leaves the status asked for leaves the list.
        new Select(browser.driver().findElement(By.id("filter-status"))).selectByValue("running");
        browser.await(d -> listed().equals(Set.of(newRunning)));
        awaitLive();
        api.append(newRunning, event("workflow_completed", agent, ""));
        browser.await(d -> listed().isEmpty());
        assertTrue(browser.driver().findElement(By.id("empty-state")).isDisplayed());
        assertEquals(Long.parseLong(browser.driver().findElement(By.id("connection")).getAttribute("data-resyncs")),
                listJsonReads(), "ui/list.json is read once per stream opened (one per filter change), never polled");
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theEventLogFiltersByTypeAndAgent() {
        String traceId = newTraceId();
        api.append(traceId, "[" + event("workflow_started", "boss", "") + ","
                + event("llm_call", "writer", "\"model\":\"m\",\"input_tokens\":1,\"output_tokens\":1") + ","
                + event("tool_call", "writer", "\"attributes\":{\"tool\":\"grep\"}") + ","
                + event("llm_call", "reviewer", "\"model\":\"m\",\"input_tokens\":1,\"output_tokens\":1") + "]");
        browser.open(page("ui/traces/" + traceId));
        awaitLive();
        api.append(traceId, event("llm_call", "writer", "\"model\":\"m\",\"input_tokens\":2,\"output_tokens\":2")); // a live one

        browser.await(d -> shownLog().size() == 5);
        Select type = new Select(browser.driver().findElement(By.id("log-type")));
        Select agent = new Select(browser.driver().findElement(By.id("log-agent")));
        type.selectByValue("llm_call");
        assertEquals(List.of("llm_call:writer", "llm_call:reviewer", "llm_call:writer"), shownLog());
        browser.awaitText(By.id("log-count"), "3 of 5 events");
        agent.selectByValue("writer");
        assertEquals(List.of("llm_call:writer", "llm_call:writer"), shownLog());
        type.selectByValue("");
        assertEquals(List.of("llm_call:writer", "tool_call:writer", "llm_call:writer"), shownLog());
        browser.awaitText(By.id("log-count"), "3 of 5 events");

        // An event arriving while filtered shows only if it matches.
        api.append(traceId, "[" + event("message", "reviewer", "") + "," + event("message", "writer", "") + "]");
        browser.await(d -> d.findElements(By.cssSelector("#event-log li")).size() == 7);
        assertEquals(List.of("llm_call:writer", "tool_call:writer", "llm_call:writer", "message:writer"), shownLog());
        agent.selectByValue("");
        assertEquals(7, shownLog().size());
        browser.awaitText(By.id("log-count"), "7 events");
    }

    @Test
    void tokensAndCostShowPerAgentAndModel() {
        String traceId = newTraceId();
        api.append(traceId, "[" + llmCall("planner", "gpt-x", 1000, 200, "0.01") + "," + llmCall("coder", "gpt-x", 500, 100, "0.005") + "]");
        browser.open(page("ui/traces/" + traceId)); // these two rendered by the server
        awaitLive();
        assertUsage("By agent", "planner", "1,000", "200", "$0.0100");
        assertUsage("By model", "gpt-x", "1,500", "300", "$0.0150");

        // These two drawn by the live script: one priced by its event, one with no price at all.
        api.append(traceId, "[" + llmCall("coder", "mini", 300, 50, "0.002") + "," + llmCall("coder", "unpriced", 100, 10, null) + "]");
        assertUsage("By agent", "planner", "1,000", "200", "$0.0100");
        assertUsage("By agent", "coder", "900", "160", "≥ $0.0070");
        assertUsage("By agent", "Total", "1,900", "360", "≥ $0.0170");
        assertUsage("By model", "gpt-x", "1,500", "300", "$0.0150");
        assertUsage("By model", "mini", "300", "50", "$0.0020");
        assertUsage("By model", "unpriced", "100", "10", "unknown");
        browser.awaitText(By.cssSelector("#usage .note"),
                "No price configured for unpriced (tracestream.pricing.models): their cost is unknown, never guessed.");
        browser.awaitText(By.id("stat-tokens"), "1,900 in / 360 out");
        browser.awaitText(By.id("stat-cost"), "≥ $0.0170");
    }

    @Test
    void theTracePageFiltersAndEventJsonWorkFromTheKeyboard() {
        String traceId = newTraceId();
        api.append(traceId, "[" + event("workflow_started", "boss", "\"span_id\":\"b\"") + ","
                + event("task_started", "helper", "\"span_id\":\"h\",\"parent_span_id\":\"b\",\"task_id\":\"help\"") + "]");
        browser.open(page("ui/traces/" + traceId));
        awaitLive();

        WebElement typeFilter = tabTo(By.id("log-type"));
        typeFilter.sendKeys(Keys.ARROW_DOWN); // a closed select steps through its options
        browser.await(d -> !"".equals(typeFilter.getAttribute("value")));
        String firstType = typeFilter.getAttribute("value");
        browser.await(d -> shownLog().stream().allMatch(e -> e.startsWith(firstType + ":")));
        assertEquals(1, shownLog().size());
        typeFilter.sendKeys(Keys.ARROW_UP);
        browser.await(d -> shownLog().size() == 2);

        WebElement agentFilter = tabTo(By.id("log-agent"));
        agentFilter.sendKeys(Keys.ARROW_DOWN);
        browser.await(d -> shownLog().equals(List.of("workflow_started:boss")));
        agentFilter.sendKeys(Keys.ARROW_UP);
        browser.await(d -> shownLog().size() == 2);

        // The first event's summary: Enter opens its JSON, Space closes it.
        WebElement summary = tabTo(By.cssSelector("#event-log li:first-child summary"));
        WebElement details = browser.driver().findElement(By.cssSelector("#event-log li:first-child details"));
        summary.sendKeys(Keys.ENTER);
        browser.await(d -> details.getAttribute("open") != null);
        String json = browser.awaitText(By.cssSelector("#event-log li:first-child pre.ev-json"));
        assertTrue(json.contains("\"event_type\": \"workflow_started\""), json);
        summary.sendKeys(Keys.SPACE);
        browser.await(d -> details.getAttribute("open") == null);
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void bothPagesAreReadableAt1280x800() throws InterruptedException {
        browser.driver().manage().window().setSize(new Dimension(1280, 800));
        String traceId = newTraceId();
        api.append(traceId, "[" + event("workflow_started", "orchestrator-with-a-rather-long-agent-name", "\"span_id\":\"o\"") + ","
                + event("task_started", "worker", "\"span_id\":\"w\",\"parent_span_id\":\"o\",\"task_id\":\"a-task-with-a-long-name-to-lay-out\"") + ","
                + llmCall("worker", "gpt-x", 1200, 300, "0.02") + ","
                + event("task_failed", "worker", "\"span_id\":\"w\",\"parent_span_id\":\"o\",\"task_id\":\"a-task-with-a-long-name-to-lay-out\","
                        + "\"error\":{\"type\":\"TimeoutError\",\"message\":\"" + "a long error message ".repeat(12) + "\"}") + "]");
        browser.open(page("ui/traces/" + traceId));
        awaitLive();
        browser.await(d -> !d.findElements(By.cssSelector("#diagram-body svg")).isEmpty());
        assertFitsTheWindow();
        // The header, the stats and the start of the timeline are on the first screen.
        for (String id : List.of("trace-status", "connection", "stat-duration", "stat-cost", "timeline")) {
            assertOnScreen(id, true);
        }
        for (String id : List.of("graph", "failure", "usage", "events", "diagram")) {
            assertOnScreen(id, false);
        }

        browser.open(page(""));
        awaitLive();
        browser.await(d -> browser.visibleText(By.cssSelector("#trace-rows tr[data-trace-id='" + traceId + "']")));
        assertFitsTheWindow();
        for (String id : List.of("connection", "filters", "traces")) {
            assertOnScreen(id, true);
        }
        // Every column is shown at this width (the narrow layout hides two).
        assertTrue(browser.driver().findElement(By.cssSelector("#traces th.col-activity")).isDisplayed());
        assertTrue(browser.driver().findElement(By.cssSelector("#traces th.col-events")).isDisplayed());
        assertEquals(List.of(), browser.consoleErrors());
    }

    /** Shown, not clipped sideways, and (when {@code aboveTheFold}) starting within the first screen. */
    private void assertOnScreen(String id, boolean aboveTheFold) {
        WebElement element = browser.driver().findElement(By.id(id));
        assertTrue(element.isDisplayed(), id + " is not displayed");
        @SuppressWarnings("unchecked")
        Map<String, Number> box = (Map<String, Number>) browser.script("const r = arguments[0].getBoundingClientRect();"
                + "return {left: r.left, right: r.right, top: r.top + window.scrollY, width: r.width,"
                + " viewWidth: document.documentElement.clientWidth, viewHeight: window.innerHeight};", element);
        String where = id + " " + box;
        assertTrue(box.get("left").doubleValue() >= 0 && box.get("right").doubleValue() <= box.get("viewWidth").doubleValue(), where);
        assertTrue(box.get("width").doubleValue() > 0, where);
        if (aboveTheFold) {
            assertTrue(box.get("top").doubleValue() < box.get("viewHeight").doubleValue(), where);
        }
    }

    /** Presses Tab until the element has the focus (as a keyboard user would reach it), and returns it. */
    private WebElement tabTo(By by) {
        WebElement target = browser.driver().findElement(by);
        for (int i = 0; i < 60 && !target.equals(browser.driver().switchTo().activeElement()); i++) {
            browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertEquals(target, browser.driver().switchTo().activeElement(), "Tab never reached " + by);
        return target;
    }

    /** The event log's visible rows, as type:agent. */
    @SuppressWarnings("unchecked")
    private List<String> shownLog() {
        return (List<String>) browser.script("return Array.from(document.querySelectorAll('#event-log li'))"
                + ".filter(li => !li.hidden).map(li => li.dataset.type + ':' + li.dataset.agent)");
    }

    private void assertUsage(String table, String row, String input, String output, String cost) {
        String base = "//section[@id='usage']//table[caption[normalize-space()='" + table + "']]//tr[th[normalize-space()='" + row + "']]";
        browser.awaitText(By.xpath(base + "/td[1]"), input);
        browser.awaitText(By.xpath(base + "/td[2]"), output);
        browser.awaitText(By.xpath(base + "/td[3]"), cost);
    }

    private static String llmCall(String agent, String model, int in, int out, String cost) {
        return event("llm_call", agent, "\"model\":\"" + model + "\",\"input_tokens\":" + in + ",\"output_tokens\":" + out
                + (cost == null ? "" : ",\"cost_usd\":" + cost));
    }

    @Test
    void aFinishedTraceRendersFullyFromTheServerAndAPageOpenedMidRunMissesNothing() {
        String traceId = newTraceId();
        List<String> ids = new ArrayList<>(api.append(traceId, "[" + event("workflow_started", "boss", "\"span_id\":\"b\"") + ","
                + event("agent_called", "helper", "\"span_id\":\"h\",\"parent_span_id\":\"b\",\"task_id\":\"help\"") + ","
                + event("task_started", "helper", "\"span_id\":\"h\",\"parent_span_id\":\"b\",\"task_id\":\"help\"") + "]"));
        browser.open(page("ui/traces/" + traceId));
        awaitLive();
        ids.addAll(api.append(traceId, "[" + event("task_completed", "helper", "\"span_id\":\"h\",\"parent_span_id\":\"b\",\"task_id\":\"help\",\"duration_ms\":40") + ","
                + event("workflow_completed", "boss", "\"status\":\"completed\"") + "]"));
        browser.await(d -> "finished".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        assertEquals(ids, logIds(), "every event exactly once, in order");
        assertEquals("completed", browser.awaitText(By.id("trace-status")).toLowerCase());

        // Opened after the end: everything from the server, no stream needed.
        HttpResponse<String> html = api.get("ui/traces/" + traceId);
        assertTrue(html.body().contains("data-ended=\"true\""));
        assertTrue(html.body().contains("class=\"bar outcome-completed\""), "timeline rendered by the server");
        assertTrue(html.body().contains("<pre class=\"mermaid\">sequenceDiagram"), "diagram text rendered by the server");
        browser.open(page("ui/traces/" + traceId));
        assertEquals("finished", browser.driver().findElement(By.id("connection")).getAttribute("data-state"));
        assertEquals(ids, logIds());
        browser.await(d -> !d.findElements(By.cssSelector("#diagram-body svg")).isEmpty());
        assertEquals(List.of(), browser.consoleErrors());
    }

    // ---------------------------------------------------------------- traces of OpenTelemetry spans

    /**
     * An event as the span mapper makes it, posted over the JSON API: its span, parent, how its
     * agent was found ({@code agent_source}) and more attributes, at {@code ms} after {@code t0}.
     */
    private static String spanEvent(String type, String agent, java.time.Instant t0, long ms, String spanId, String parent,
                                    String agentSource, String attributes, String fields) {
        return event(type, agent, at(t0, ms) + "," + StoredTrace.span(spanId, parent, agentSource, attributes)
                + (fields.isEmpty() ? "" : "," + fields));
    }

    private static java.time.Instant aLittleAgo() {
        return java.time.Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The names of the timeline's rows in a lane, top to bottom; the lane of no known agent is {@code null}. */
    @SuppressWarnings("unchecked")
    private List<String> laneSteps(String agent) {
        String lane = agent == null ? ".lane:not([data-agent])" : ".lane[data-agent='" + agent + "']";
        return (List<String>) browser.script("return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent)",
                "#timeline-body " + lane + " .step-name");
    }

    /** The visible text of the rendered diagram (Mermaid's SVG). */
    private String diagramSvgText() {
        return (String) browser.script("const svg = document.querySelector('#diagram-body svg'); return svg ? svg.textContent : ''");
    }

    @Test
    void frameworkStepsAreFoldedUntilTheButtonUnfoldsThemInTheirLanesAndInTheDiagram() throws Exception {
        String traceId = newTraceId();
        java.time.Instant t0 = aLittleAgo();
        String plumbing = "\"plumbing\":\"langchain\"";
        api.append(traceId, "[" + spanEvent("task_started", "supervisor", t0, 0, "r", null, "span", "", "\"task_id\":\"supervise\"") + ","
                + spanEvent("task_started", "supervisor", t0, 100, "p1", "r", "ancestor", plumbing, "\"task_id\":\"RunnableSequence\"") + ","
                + spanEvent("task_started", "supervisor", t0, 150, "p2", "p1", "ancestor", plumbing, "\"task_id\":\"ChatPromptTemplate\"") + ","
                + spanEvent("task_failed", "supervisor", t0, 200, "p2", "p1", "ancestor", plumbing, "\"task_id\":\"ChatPromptTemplate\","
                        + "\"error\":{\"type\":\"KeyError\",\"message\":\"missing variable\"}") + ","
                + spanEvent("task_completed", "supervisor", t0, 400, "p1", "r", "ancestor", plumbing, "\"task_id\":\"RunnableSequence\"") + ","
                + spanEvent("llm_call", "supervisor", t0, 900, "l1", "r", "ancestor", "", "\"model\":\"gpt-x\",\"duration_ms\":300") + "]");

        // The API: the diagram leaves the framework's failure out unless asked.
        assertFalse(api.get("traces/" + traceId + "/diagram").body().contains("ChatPromptTemplate"));
        assertTrue(api.get("traces/" + traceId + "/diagram?plumbing=true").body().contains("ChatPromptTemplate failed"));
        // The server draws the page folded.
        String html = api.get("ui/traces/" + traceId).body();
        assertFalse(html.contains("data-plumbing="), "no framework step rendered folded");
        String serverDiagram = html.substring(html.indexOf("<pre class=\"mermaid\">"));
        assertFalse(serverDiagram.substring(0, serverDiagram.indexOf("</pre>")).contains("ChatPromptTemplate"),
                "nor in the server-drawn diagram");

        browser.open(page("ui/traces/" + traceId));
        awaitLive();
        By toggle = By.id("timeline-plumbing");
        browser.awaitText(toggle, "Show 2 framework steps");
        assertEquals("false", browser.driver().findElement(toggle).getAttribute("aria-pressed"));
        assertEquals("button", browser.driver().findElement(toggle).getTagName());
        assertEquals(List.of("supervise", "gpt-x"), laneSteps("supervisor"));
        browser.await(d -> !diagramSvgText().isEmpty());
        assertFalse(diagramSvgText().contains("ChatPromptTemplate"));

        // Unfolded in place: in their agent's lane, by start time, and in the diagram.
        browser.driver().findElement(toggle).click();
        browser.await(d -> laneSteps("supervisor").equals(List.of("supervise", "RunnableSequence", "ChatPromptTemplate", "gpt-x")));
        browser.awaitText(toggle, "Hide framework steps");
        assertEquals("true", browser.driver().findElement(toggle).getAttribute("aria-pressed"));
        assertEquals("true", browser.driver().findElement(By.id("diagram-plumbing")).getAttribute("aria-pressed"),
                "one choice for the timeline and the diagram");
        browser.await(d -> diagramSvgText().contains("ChatPromptTemplate failed"));
        assertTrue(browser.driver().findElement(By.id("diagram-source")).getAttribute("href").endsWith("/diagram?plumbing=true"));

        // A live redraw keeps them unfolded, and so does a reload in this tab.
        api.append(traceId, spanEvent("llm_call", "supervisor", t0, 1500, "l2", "r", "ancestor", "", "\"model\":\"gpt-x\",\"duration_ms\":200"));
        browser.await(d -> laneSteps("supervisor").equals(List.of("supervise", "RunnableSequence", "ChatPromptTemplate", "gpt-x", "gpt-x")));
        browser.open(page("ui/traces/" + traceId));
        browser.await(d -> laneSteps("supervisor").size() == 5);
        browser.awaitText(toggle, "Hide framework steps");
        browser.await(d -> diagramSvgText().contains("ChatPromptTemplate failed"));
        browser.screenshot(Path.of("target/screenshots/trace-page-framework-steps.png"));

        // Folded again, from the keyboard.
        browser.driver().findElement(toggle).sendKeys(Keys.SPACE);
        browser.await(d -> laneSteps("supervisor").equals(List.of("supervise", "gpt-x", "gpt-x")));
        browser.awaitText(toggle, "Show 2 framework steps");
        assertEquals("false", browser.driver().findElement(toggle).getAttribute("aria-pressed"));
        browser.await(d -> !diagramSvgText().isEmpty() && !diagramSvgText().contains("ChatPromptTemplate"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aStandInEventShowsItsRealAgentOnceKnownAndTheLogListsSpansInTheOrderTheyHappened() {
        String traceId = newTraceId();
        java.time.Instant t0 = aLittleAgo();
        api.append(traceId, spanEvent("task_started", "supervisor", t0, 0, "r", null, "span", "", "\"task_id\":\"supervise\""));
        browser.open(page("ui/traces/" + traceId));
        awaitLive();

        // As an SDK exports them, each span when it ends: the model call (whose agent span w has not
        // come, so the service stands in) before a tool call that began earlier.
        List<String> ids = api.append(traceId, "[" + spanEvent("llm_call", "svc", t0, 2000, "m", "w", "service", "",
                        "\"model\":\"gpt-y\",\"duration_ms\":500") + ","
                + spanEvent("tool_call", "coder", t0, 1500, "t1", "w2", "span", "\"tool\":\"grep\"", "\"duration_ms\":200") + "]");
        By callAgent = By.cssSelector("#event-log li[data-id='" + ids.get(0) + "'] .ev-agent");
        browser.awaitText(callAgent, "svc");
        browser.await(d -> shownLog().equals(List.of("task_started:supervisor", "tool_call:coder", "llm_call:svc")));
        // Mid-run, whoever is at work shows so: the coder in its parent span, the unknown agent in the model call's.
        browser.await(d -> laneSteps("coder").equals(List.of("working (span w2 not received yet)", "grep")));
        browser.awaitText(By.cssSelector("#timeline-body .lane[data-agent='coder'] .lane-state"), "working");
        browser.await(d -> laneSteps(null).equals(List.of("working (span w not received yet)")));
        browser.awaitText(By.cssSelector("#timeline-body .lane:not([data-agent]) .lane-name"), "(agent not known yet)");

        // The agent span arrives, earlier than both: it goes to its place, and the model call is the researcher's.
        api.append(traceId, spanEvent("task_started", "researcher", t0, 900, "w", "r", "span", "", "\"task_id\":\"research\""));
        browser.awaitText(callAgent, "researcher");
        List<String> inTimeOrder = List.of("task_started:supervisor", "task_started:researcher", "tool_call:coder", "llm_call:researcher");
        browser.await(d -> shownLog().equals(inTimeOrder));
        WebElement call = browser.driver().findElement(By.cssSelector("#event-log li[data-id='" + ids.get(0) + "']"));
        assertEquals("reported as svc (the service, standing in until its agent was known)",
                call.findElement(By.cssSelector(".ev-agent")).getAttribute("title"));
        call.findElement(By.tagName("summary")).click();
        String json = browser.awaitText(By.cssSelector("#event-log li[data-id='" + ids.get(0) + "'] pre.ev-json"));
        assertTrue(json.contains("\"agent_id\": \"svc\""), "the JSON is the event as stored: " + json);
        browser.await(d -> laneSteps("researcher").equals(List.of("research", "gpt-y")));

        // The filter goes by the agent shown.
        Select agent = new Select(browser.driver().findElement(By.id("log-agent")));
        browser.await(d -> agent.getOptions().stream().noneMatch(o -> o.getAttribute("value").equals("svc")));
        agent.selectByValue("researcher");
        assertEquals(List.of("task_started:researcher", "llm_call:researcher"), shownLog());

        // The server lists them the same way, and marks only the stand-in for the script to relabel.
        String html = api.get("ui/traces/" + traceId).body();
        assertTrue(html.contains("data-stand-in=\"svc\""), "the stand-in row is marked");
        assertEquals(1, html.split("data-stand-in=", -1).length - 1, "and no other row");
        browser.open(page("ui/traces/" + traceId));
        assertEquals(inTimeOrder, shownLog());
        assertEquals("researcher", browser.driver().findElement(callAgent).getText());
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theFailurePanelFoldsTheStackTraceUnderTheMessageAndAHostileOneStaysText() {
        String traceId = newTraceId();
        java.time.Instant t0 = aLittleAgo();
        String stack = "Traceback (most recent call last):\n  File \"agent.py\", line 12, in run\n    " + HOSTILE
                + "\n<script>alert(2)</script>\nValueError: bad input";
        api.append(traceId, "[" + spanEvent("task_started", "supervisor", t0, 0, "r", null, "span", "", "\"task_id\":\"supervise\"") + ","
                + spanEvent("task_started", "coder", t0, 100, "f", "r", "span", "", "\"task_id\":\"code\"") + "]");
        browser.open(page("ui/traces/" + traceId));
        awaitLive();

        api.append(traceId, spanEvent("task_failed", "coder", t0, 700, "f", "r", "span", "", "\"task_id\":\"code\","
                + "\"error\":{\"type\":\"ValueError\",\"message\":\"bad input\",\"stacktrace\":\""
                + stack.replace("\"", "\\\"").replace("\n", "\\n") + "\"}"));
        browser.awaitText(By.cssSelector("#failure .error-type"), "ValueError");
        browser.awaitText(By.cssSelector("#failure .error-text"), "bad input");
        By details = By.cssSelector("#failure details.error-stack");
        browser.awaitText(By.cssSelector("#failure details.error-stack summary"), "Stack trace");
        assertEquals(null, browser.driver().findElement(details).getAttribute("open"), "collapsed at first");
        assertFalse(browser.driver().findElement(By.cssSelector("#failure pre.stack-text")).isDisplayed());

        browser.driver().findElement(By.cssSelector("#failure details.error-stack summary")).click();
        assertEquals(stack, browser.awaitText(By.cssSelector("#failure pre.stack-text")));
        // The next summary redraws the panel: an opened stack stays open.
        api.append(traceId, spanEvent("llm_call", "supervisor", t0, 900, "l1", "r", "ancestor", "", "\"model\":\"gpt-x\",\"duration_ms\":100"));
        browser.awaitText(By.id("stat-events"), "4");
        assertEquals(stack, browser.awaitText(By.cssSelector("#failure pre.stack-text")));

        // Rendered by the server, the same: collapsed, the stack as text.
        browser.open(page("ui/traces/" + traceId));
        assertEquals(null, browser.driver().findElement(details).getAttribute("open"));
        browser.driver().findElement(By.cssSelector("#failure details.error-stack summary")).click();
        assertEquals(stack, browser.awaitText(By.cssSelector("#failure pre.stack-text")));
        browser.script("document.getElementById('failure').scrollIntoView()");
        browser.screenshot(Path.of("target/screenshots/trace-page-stack-trace.png"));
        assertEquals(0L, browser.script("return document.querySelectorAll('#failure img, #failure script').length"));
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    @Order(1)
    void theDemoPlaysTheRealisticWorkflowAndTheScreenshotsAreTaken() throws Exception {
        // Two finished traces beside the demo, so the list shows every status colour.
        java.time.Instant t0 = java.time.Instant.now().minusSeconds(140).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String support = "support-ticket-" + UUID.randomUUID().toString().substring(0, 6);
        api.append(support, "[" + event("workflow_started", "triage_agent", at(t0, 0) + ",\"span_id\":\"t\"") + ","
                + event("llm_call", "triage_agent", at(t0, 2300) + ",\"span_id\":\"l1\",\"parent_span_id\":\"t\",\"model\":\"gpt-4o\","
                        + "\"duration_ms\":2100,\"input_tokens\":900,\"output_tokens\":120,\"cost_usd\":0.00345") + ","
                + event("agent_called", "retriever", at(t0, 2400) + ",\"span_id\":\"r\",\"parent_span_id\":\"t\",\"task_id\":\"search-kb\"") + ","
                + event("task_completed", "retriever", at(t0, 9100) + ",\"span_id\":\"r\",\"parent_span_id\":\"t\",\"task_id\":\"search-kb\",\"duration_ms\":6600") + ","
                + event("agent_transition", "triage_agent", at(t0, 9300) + ",\"span_id\":\"w\",\"parent_span_id\":\"t\",\"attributes\":{\"to_agent\":\"responder\"}") + ","
                + event("llm_call", "responder", at(t0, 21000) + ",\"span_id\":\"l2\",\"parent_span_id\":\"w\",\"model\":\"gpt-4o\","
                        + "\"duration_ms\":11400,\"input_tokens\":4100,\"output_tokens\":820,\"cost_usd\":0.01845") + ","
                + event("workflow_completed", "triage_agent", at(t0, 21500) + ",\"status\":\"completed\"") + "]");
        String failed = "nightly-eval-" + UUID.randomUUID().toString().substring(0, 6);
        api.append(failed, "[" + event("workflow_started", "evaluator", at(t0, 30000) + ",\"span_id\":\"e\"") + ","
                + event("task_started", "grader", at(t0, 30200) + ",\"span_id\":\"g\",\"parent_span_id\":\"e\",\"task_id\":\"grade\"") + ","
                + event("task_failed", "grader", at(t0, 42600) + ",\"span_id\":\"g\",\"parent_span_id\":\"e\",\"task_id\":\"grade\","
                        + "\"error\":{\"type\":\"RateLimitError\",\"message\":\"429 from the model provider after 3 retries\"}") + ","
                + event("workflow_failed", "evaluator", at(t0, 42700) + ",\"error\":{\"type\":\"RateLimitError\",\"message\":\"grading aborted\"}") + "]");

        HttpResponse<String> started = HttpClient.newHttpClient().send(
                // As the list page's form sends it: a POST from another site is refused (CrossSiteFilter).
                HttpRequest.newBuilder(api.uri("ui/demo")).header("Origin", origin())
                        .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(303, started.statusCode());
        String location = started.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches(".*/ui/traces/demo-[0-9a-f]{12}$"), location);
        URI tracePage = api.uri("/").resolve(location);

        Path shots = Path.of(System.getProperty("tracestream.screenshots", "target/screenshots"));
        browser.open(tracePage.toString());
        awaitLive();
        // At 4x the first backtest fails after ~3 s and its retry starts: wait for both.
        // The text the wait saw: the panel may be redrawn by the next summary a moment later.
        assertEquals("DataUnavailableError", browser.awaitText(By.cssSelector("#failure .error-type")));
        browser.await(d -> d.findElements(By.cssSelector("#timeline-body .lane[data-agent='backtester'] .bar.outcome-open")).size() >= 1);
        browser.await(d -> d.findElements(By.cssSelector("#graph-svg g.node")).size() >= 5);
        browser.await(d -> !d.findElements(By.cssSelector("#diagram-body svg")).isEmpty());
        Thread.sleep(2500); // a little further into the run: more bars, a fuller log
        browser.driver().manage().window().setSize(new Dimension(1280, 1900)); // the whole page, for the README
        browser.screenshot(shots.resolve("trace-page.png"));
        browser.driver().manage().window().setSize(new Dimension(390, 844)); // a phone
        assertFitsTheWindow();
        browser.screenshot(shots.resolve("trace-page-narrow.png"));
        browser.driver().manage().window().setSize(new Dimension(1280, 800));

        browser.open(page(""));
        browser.await(d -> browser.visibleText(By.cssSelector("#trace-rows tr[data-status='running']")));
        browser.screenshot(shots.resolve("trace-list.png"));
        browser.driver().manage().window().setSize(new Dimension(390, 844));
        assertFitsTheWindow();
        browser.screenshot(shots.resolve("trace-list-narrow.png"));
        browser.driver().manage().window().setSize(new Dimension(1280, 800));
        assertEquals(List.of(), browser.consoleErrors());

        // The run completes (90 s of workflow at 4x), through a failure and a retry.
        String demoId = location.substring(location.lastIndexOf('/') + 1);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String summary = api.get("traces/" + demoId).body();
        while (!summary.contains("\"status\":\"completed\"") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            summary = api.get("traces/" + demoId).body();
        }
        assertTrue(summary.contains("\"status\":\"completed\""), summary);
        assertTrue(summary.contains("\"failed_steps\":1") || summary.contains("\"failed_steps\":2"), summary);
        assertTrue(summary.contains("\"event_count\":35"), summary);
    }

    /** Readable on a narrow screen: wide parts (tables, graph, diagram) scroll inside their cards, the page does not. */
    private void assertFitsTheWindow() throws InterruptedException {
        // Right after a resize the page's scripts may still be laying out (the graph, the
        // timeline): give them a moment, as a user would see one frame of it at most.
        Object overflow = null;
        for (int i = 0; i < 20; i++) {
            overflow = browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            if (Long.valueOf(0).equals(overflow)) {
                return;
            }
            Thread.sleep(100);
        }
        // Which elements stick out, so a failure says what to fix.
        Object culprits = browser.script("const w = document.documentElement.clientWidth; return Array.from("
                + "document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 0.5)"
                + ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' right=' + Math.round(e.getBoundingClientRect().right)"
                + " + ' text=' + (e.textContent || '').slice(0, 40)).join(' | ')");
        assertEquals(0L, overflow, "the page is wider than the window: " + culprits);
    }

    private static String at(java.time.Instant start, long plusMs) {
        return "\"timestamp\":\"" + start.plusMillis(plusMs) + "\"";
    }

    private List<String> logIds() {
        return browser.driver().findElements(By.cssSelector("#event-log li")).stream()
                .map(li -> li.getAttribute("data-id")).toList();
    }
}
