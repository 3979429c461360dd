package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.TestDeployments;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * What the agents said, in a real browser (Debian's headless Chromium) against the deployed WAR: a
 * model or tool call clicked on the timeline or in the event log opens its conversation, read from
 * {@code /traces/{trace_id}/events/{id}/content}, live and for a finished trace; hostile text stays
 * text; a long message is folded.
 */
@ExtendWith(ArquillianExtension.class)
class ConversationViewIT {

    static final String HOSTILE_IMG = "<img src=x onerror=window.__pwned=1>";
    static final String HOSTILE_SCRIPT = "</script><script>window.__pwned=2</script>";
    static final String SYSTEM = "You are a travel assistant. Answer briefly.";
    static final String QUESTION = "What is the weather in Paris?";
    static final String ANSWER = "It is sunny in Paris, 21 °C.";

    @ArquillianResource
    URL deployment;

    Api api;
    static Browser browser;

    /** Content over this is cut: the folding test's message fits, the truncation test's does not. */
    static final int CONTENT_MAX_BYTES = 20_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return TestDeployments.war(Map.of("tracestream.content.max-bytes", String.valueOf(CONTENT_MAX_BYTES)));
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
        return "conv-" + UUID.randomUUID().toString().substring(0, 13);
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * A model call's second turn, as the JSON API takes it: the system instruction and the user's
     * question, the assistant's request for a tool and the tool's answer, then the model's answer.
     */
    static String modelCall(String spanId, String question, String answer) {
        return "{\"event_type\":\"llm_call\",\"agent_id\":\"planner\",\"span_id\":" + str(spanId) + ",\"model\":\"gpt-4o\","
                + "\"input_tokens\":1234,\"output_tokens\":56,\"cost_usd\":0.0042,\"duration_ms\":800,"
                + "\"input\":["
                + "{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":" + str(SYSTEM) + "}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + str(question) + "}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"get_weather\","
                + "\"arguments\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\","
                + "\"response\":{\"temperature\":21,\"conditions\":\"sunny\"}}]}],"
                + "\"output\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":" + str(answer) + "}],"
                + "\"finish_reason\":\"stop\"}]}";
    }

    static String toolCall(String spanId) {
        return "{\"event_type\":\"tool_call\",\"agent_id\":\"planner\",\"span_id\":" + str(spanId) + ",\"duration_ms\":120,"
                + "\"attributes\":{\"tool\":\"get_weather\"},"
                + "\"input\":{\"city\":\"Paris\",\"units\":\"metric\"},"
                + "\"output\":{\"temperature\":21,\"conditions\":\"sunny\",\"wind\":{\"speed_kmh\":9}}}";
    }

    static String event(String type, String agent, String extra) {
        return "{\"event_type\":\"" + type + "\",\"agent_id\":\"" + agent + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    String page(String path) {
        return api.uri(path).toString();
    }

    void openLive(String traceId) {
        api.append(traceId, event("workflow_started", "planner", "\"span_id\":\"root\""));
        browser.open(page("ui/traces/" + traceId));
        browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    }

    /** Waits until the panel shows the content of event {@code id}, read from the server. */
    void awaitLoaded(String id) {
        browser.await(d -> {
            WebElement panel = d.findElement(By.id("conversation"));
            return panel.isDisplayed() && id.equals(panel.getAttribute("data-event-id"))
                    && "loaded".equals(panel.getAttribute("data-state"));
        });
    }

    /** Text exactly as the page holds it (textContent: newlines and all, displayed or not). */
    String text(String selector) {
        Object text = browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : null", selector);
        return (String) text;
    }

    @SuppressWarnings("unchecked")
    List<String> texts(String selector) {
        return (List<String>) browser.script("return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent)", selector);
    }

    void closePanel() {
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await(d -> !d.findElement(By.id("conversation")).isDisplayed());
    }

    @Test
    void clickingALiveModelCallShowsTheQuestionTheAnswerAndTheToolExchangeAsAChat() {
        String traceId = newTraceId();
        openLive(traceId);

        String callId = api.append(traceId, modelCall("m1", QUESTION, ANSWER)).get(0);
        // Live: the bar comes with the next summary, the log row with the event and its previews.
        By bar = By.cssSelector("#timeline-body .step-row.callable .step-open");
        browser.awaitText(bar, "gpt-4o");
        By said = By.cssSelector("#event-log li[data-id='" + callId + "'] .ev-said");
        assertTrue(browser.awaitText(said).contains(QUESTION), "the row says what was asked without a click");

        browser.driver().findElement(bar).click();
        awaitLoaded(callId);

        assertEquals("Model call · gpt-4o", browser.awaitText(By.id("conversation-title")));
        String facts = browser.awaitText(By.cssSelector("#conversation .conv-facts"));
        assertTrue(facts.contains("1,234 in / 56 out"), facts);
        assertTrue(facts.contains("$0.0042"), facts);
        String body = browser.awaitText(By.id("conversation-body"));
        assertTrue(body.contains(SYSTEM), "the system instruction: " + body);
        assertTrue(texts("#conversation .msg[data-role='user'] .conv-text").contains(QUESTION), body);
        assertTrue(texts("#conversation .conv-output .msg[data-role='assistant'] .conv-text").contains(ANSWER), body);
        assertTrue(text("#conversation .conv-output .msg-finish").contains("stop"));
        // The assistant's tool call and the tool's answer, in the chat, as pretty-printed JSON.
        assertEquals("{\n  \"city\": \"Paris\"\n}", text("#conversation .part-tool-call .conv-arguments"));
        assertTrue(text("#conversation .part-tool-call .part-head").contains("get_weather"));
        assertEquals("{\n  \"temperature\": 21,\n  \"conditions\": \"sunny\"\n}", text("#conversation .part-tool-response .conv-result"));
        assertTrue(browser.driver().findElement(By.cssSelector("#timeline-body .step-row.callable")).getAttribute("class")
                .contains("selected"), "the call shown is marked on the timeline");

        closePanel();
        assertEquals("gpt-4o", browser.script("return document.activeElement.textContent"), "focus is back on the call");
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void clickingALiveToolCallInTheLogShowsItsArgumentsAndResultPrettyPrinted() {
        String traceId = newTraceId();
        openLive(traceId);
        api.append(traceId, modelCall("m1", QUESTION, ANSWER));
        String toolId = api.append(traceId, toolCall("t1")).get(0);

        By open = By.cssSelector("#event-log li[data-id='" + toolId + "'] .ev-open");
        browser.await(d -> browser.visibleText(open));
        browser.driver().findElement(open).click();
        awaitLoaded(toolId);

        assertEquals("Tool call · get_weather", browser.awaitText(By.id("conversation-title")));
        assertEquals("{\n  \"city\": \"Paris\",\n  \"units\": \"metric\"\n}", text("#conversation .conv-tool .conv-arguments"));
        assertEquals("{\n  \"temperature\": 21,\n  \"conditions\": \"sunny\",\n  \"wind\": {\n    \"speed_kmh\": 9\n  }\n}",
                text("#conversation .conv-tool .conv-result"));
        assertNull(browser.driver().findElement(By.cssSelector("#event-log li[data-id='" + toolId + "'] details"))
                .getAttribute("open"), "the button opens the panel, not the row's JSON");

        // The same call from the timeline: its tool bar opens the same event.
        closePanel();
        By toolBar = By.cssSelector("#timeline-body .step-row.callable .kind-tool_call + .step-open");
        browser.awaitText(toolBar, "get_weather");
        browser.driver().findElement(toolBar).click();
        awaitLoaded(toolId);
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void hostileMarkupInAMessageIsShownAsLiteralTextAndRunsNothing() {
        String traceId = newTraceId();
        openLive(traceId);
        String hostile = "Look: " + HOSTILE_IMG + " and " + HOSTILE_SCRIPT;
        String callId = api.append(traceId, modelCall("m1", hostile, "Answer: " + HOSTILE_SCRIPT + HOSTILE_IMG)).get(0);

        By open = By.cssSelector("#event-log li[data-id='" + callId + "'] .ev-open");
        browser.await(d -> browser.visibleText(open));
        assertTrue(text("#event-log li[data-id='" + callId + "'] .ev-said").contains(HOSTILE_IMG), "the preview, as text");
        browser.driver().findElement(open).click();
        awaitLoaded(callId);

        assertTrue(texts("#conversation .msg[data-role='user'] .conv-text").contains(hostile));
        assertTrue(texts("#conversation .conv-output .conv-text").contains("Answer: " + HOSTILE_SCRIPT + HOSTILE_IMG));
        assertEquals(0L, browser.script("return document.querySelectorAll('#conversation img, #conversation script, #event-log img').length"));
        assertEquals(Boolean.TRUE, browser.script("return typeof window.__pwned === 'undefined'"), "no markup ran");
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());

        // Server-rendered, the same: the row's preview and the panel, on a reload.
        browser.open(page("ui/traces/" + traceId));
        browser.await(d -> browser.visibleText(open));
        assertTrue(text("#event-log li[data-id='" + callId + "'] .ev-said").contains(HOSTILE_SCRIPT));
        browser.driver().findElement(open).click();
        awaitLoaded(callId);
        assertTrue(texts("#conversation .msg[data-role='user'] .conv-text").contains(hostile));
        assertEquals(0L, browser.script("return document.querySelectorAll('img').length"));
        assertEquals(Boolean.TRUE, browser.script("return typeof window.__pwned === 'undefined'"), "no markup ran");
    }

    @Test
    void aVeryLongMessageIsFoldedToItsStartWithAToggleToShowAll() {
        String traceId = newTraceId();
        openLive(traceId);
        String longText = IntStream.rangeClosed(1, 80)
                .mapToObj(i -> "Line " + i + " of a long prompt: the agent pasted a whole document into it.")
                .collect(Collectors.joining("\n")) + "\nEND-OF-THE-LONG-MESSAGE";
        String callId = api.append(traceId, modelCall("m1", longText, ANSWER)).get(0);

        By open = By.cssSelector("#event-log li[data-id='" + callId + "'] .ev-open");
        browser.await(d -> browser.visibleText(open));
        browser.driver().findElement(open).click();
        awaitLoaded(callId);

        String user = "#conversation .msg[data-role='user'] ";
        String folded = text(user + ".conv-fold pre");
        assertTrue(folded.startsWith("Line 1 of a long prompt"), folded);
        assertFalse(folded.contains("END-OF-THE-LONG-MESSAGE"), "folded: only the start shows");
        assertTrue(folded.length() <= 1501 && folded.split("\n").length <= 20, "at most 20 lines or 1,500 characters: " + folded.length());
        WebElement toggle = browser.driver().findElement(By.cssSelector(user + ".fold-toggle"));
        assertEquals("false", toggle.getAttribute("aria-expanded"));
        assertTrue(toggle.getText().startsWith("Show all"), toggle.getText());

        toggle.click();
        assertEquals(longText, text(user + ".conv-fold pre"), "unfolded: all of it");
        assertEquals("true", toggle.getAttribute("aria-expanded"));
        toggle.click();
        assertEquals(folded, text(user + ".conv-fold pre"), "folded again");
        // A short message is not folded.
        assertTrue(browser.driver().findElements(By.cssSelector("#conversation .conv-output .fold-toggle")).isEmpty());
    }

    @Test
    void aFinishedTraceOpensItsCallsFromTheServerRenderedPage() {
        String traceId = newTraceId();
        api.append(traceId, event("workflow_started", "planner", "\"span_id\":\"root\""));
        String callId = api.append(traceId, modelCall("m1", QUESTION, ANSWER)).get(0);
        String toolId = api.append(traceId, toolCall("t1")).get(0);
        api.append(traceId, event("workflow_completed", "planner", "\"span_id\":\"root\",\"status\":\"completed\""));
        // Finished once the end's grace has passed: then the page is all the server's, with no stream.
        browser.await(d -> api.get("ui/traces/" + traceId).body().contains("data-ended=\"true\""));
        browser.open(page("ui/traces/" + traceId));
        assertEquals("finished", browser.driver().findElement(By.id("connection")).getAttribute("data-state"));

        String said = browser.awaitText(By.cssSelector("#event-log li[data-id='" + callId + "'] .ev-said"));
        assertTrue(said.contains(QUESTION), "the server-rendered row says what was asked: " + said);
        browser.driver().findElement(By.cssSelector("#timeline-body .step-row.callable .kind-llm_call + .step-open")).click();
        awaitLoaded(callId);
        assertTrue(texts("#conversation .conv-output .conv-text").contains(ANSWER));

        browser.driver().findElement(By.cssSelector("#event-log li[data-id='" + toolId + "'] .ev-open")).click();
        awaitLoaded(toolId);
        assertEquals("{\n  \"city\": \"Paris\",\n  \"units\": \"metric\"\n}", text("#conversation .conv-tool .conv-arguments"));
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void aCallCutToTheSizeLimitOrWithSecretsReplacedSaysSo() {
        String traceId = newTraceId();
        openLive(traceId);
        String huge = "Summarise this: " + "lorem ipsum dolor sit amet ".repeat(1500); // about 40 KB, over the limit
        String secret = "My key is sk-" + "a1B2c3D4e5F6g7H8i9J0k1L2" + ", keep it safe.";
        String callId = api.append(traceId, modelCall("m1", huge, secret)).get(0);

        By open = By.cssSelector("#event-log li[data-id='" + callId + "'] .ev-open");
        browser.await(d -> browser.visibleText(open));
        browser.driver().findElement(open).click();
        awaitLoaded(callId);

        String truncated = browser.awaitText(By.cssSelector("#conversation .conv-truncated"));
        assertTrue(truncated.startsWith("Truncated: the content was cut to the size limit"), truncated);
        assertTrue(truncated.contains("1 text cut short"), truncated);
        String redacted = browser.awaitText(By.cssSelector("#conversation .conv-redacted"));
        assertEquals("Redacted: 1 secret was replaced by [REDACTED] before the content was stored.", redacted);
        assertEquals("My key is [REDACTED], keep it safe.", texts("#conversation .conv-output .conv-text").get(0));
        String user = text("#conversation .msg[data-role='user'] .conv-fold pre");
        assertTrue(user.startsWith("Summarise this: lorem ipsum"), "the cut text still shows its start: " + user);
        assertEquals(List.of(), browser.consoleErrors());
    }
}
