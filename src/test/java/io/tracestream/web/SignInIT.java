package io.tracestream.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.Keys;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.ServerLog;
import io.tracestream.testing.TestDeployments;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.Cookie;

/**
 * The dashboard's sign-in with keys configured, over HTTP and in headless Chromium: the session
 * cookie and its attributes, a refused key, sign-out, the session's expiry, the security headers
 * (and no CSP violation while Mermaid draws), and the refusal of cross-site page actions.
 *
 * <p>Every request carries what it will need once the access filter (auth branch) enforces keys:
 * the ingest key on event posts, the read key or a session on reads. Two tests need that filter
 * and are disabled until it is merged.
 */
@ExtendWith(ArquillianExtension.class)
class SignInIT {

    static final String READ_KEY = "viewer-" + "5f0c2a9e71d34b8c9a6e0f1d2c3b4a59";
    static final String OPERATOR_KEY = "operator-" + "0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a";
    static final String INGEST_KEY = "producer-" + "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    /** Short, so the expiry is seen within the test; long enough for a page to load and draw. */
    static final Duration TTL = Duration.ofSeconds(8);
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'; object-src 'none'";
    static final Pattern SESSION_COOKIE = Pattern.compile(
            "ts_session=([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+); Max-Age=(\\d+); Path=/; HttpOnly; SameSite=Strict(; Secure)?");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @ArquillianResource
    URL deployment;

    Api api;
    static Browser browser;

    static {
        ServerLog.capture(); // before the server starts, so its whole log is kept
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        String keys = "[" + key("viewer", READ_KEY, "\"read\"") + "," + key("operator", OPERATOR_KEY, "\"read\",\"admin\"")
                + "," + key("producer", INGEST_KEY, "\"ingest\"") + "]";
        return TestDeployments.war(Map.of(
                "tracestream.auth.keys", keys,
                "tracestream.auth.session-secret", "sign-in-it-secret-0123456789abcdef0123456789",
                "tracestream.auth.session-ttl", TTL.toString()));
    }

    private static String key(String name, String key, String scopes) {
        return Keys.entry(name, key, scopes, "");
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
        browser.driver().manage().deleteAllCookies();
        browser.consoleErrors(); // reading the log empties it: each test sees its own page's errors only
    }

    // ------------------------------------------------------------------ over HTTP

    @Test
    void pagesStaticFilesAndTheApiAnswerWithTheSecurityHeaders() throws Exception {
        for (String path : List.of("ui/sign-in", "static/js/common.js", "static/css/app.css")) {
            HttpResponse<String> r = send(get(path));
            assertEquals(200, r.statusCode(), path);
            assertEquals(CSP, header(r, "Content-Security-Policy"), path);
            assertEquals("nosniff", header(r, "X-Content-Type-Options"), path);
            assertEquals("DENY", header(r, "X-Frame-Options"), path);
            assertEquals("same-origin", header(r, "Referrer-Policy"), path);
        }
        HttpResponse<String> list = send(HttpRequest.newBuilder(api.uri("traces")).header("Authorization", "Bearer " + READ_KEY));
        assertEquals(200, list.statusCode());
        assertEquals("nosniff", header(list, "X-Content-Type-Options"));
        HttpResponse<String> page = send(get("").header("Cookie", "ts_session=" + signIn(READ_KEY)));
        assertEquals(CSP, header(page, "Content-Security-Policy"));
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(page.body()).find(), "no inline script");
    }

    @Test
    void signingInWithAReadKeySetsAStrictHttpOnlyCookieForTheSessionsLifetimeAndGoesBack() throws Exception {
        String next = contextPath() + "/?status=failed";
        HttpResponse<String> r = send(signInForm(READ_KEY, next));
        assertEquals(303, r.statusCode(), r.body());
        assertEquals(next, header(r, "Location"));
        Matcher cookie = SESSION_COOKIE.matcher(header(r, "Set-Cookie"));
        assertTrue(cookie.matches(), header(r, "Set-Cookie"));
        long maxAge = Long.parseLong(cookie.group(2));
        assertEquals(TTL.toSeconds(), maxAge, "Max-Age");
        assertNull(cookie.group(3), "not Secure over plain HTTP: the browser would not send it back");

        HttpResponse<String> behindTls = send(signInForm(READ_KEY, next).header("X-Forwarded-Proto", "https"));
        assertTrue(header(behindTls, "Set-Cookie").endsWith("; HttpOnly; SameSite=Strict; Secure"), header(behindTls, "Set-Cookie"));
    }

    @Test
    void anUnknownKeyOrOneThatMayNotReadIsRefusedWith401AndNoCookieAndCountedAsAnAuthFailure() throws Exception {
        Metrics before = Metrics.scrape(api);
        HttpResponse<String> unknown = send(signInForm("not-a-key", "/"));
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.body().contains("That key is not known here"), unknown.body());
        assertTrue(unknown.headers().firstValue("Set-Cookie").isEmpty());

        HttpResponse<String> ingestOnly = send(signInForm(INGEST_KEY, "/"));
        assertEquals(401, ingestOnly.statusCode());
        assertTrue(ingestOnly.body().contains("may not read traces"), ingestOnly.body());
        assertTrue(ingestOnly.headers().firstValue("Set-Cookie").isEmpty());

        // Guessing at the sign-in page shows on the auth-failures alert like guessing at the API.
        Metrics after = Metrics.scrape(api);
        for (String reason : List.of("unknown_key", "scope")) {
            assertEquals(1, after.counter("tracestream_auth_failures_total", Map.of("reason", reason))
                    - before.counter("tracestream_auth_failures_total", Map.of("reason", reason)), reason);
        }
    }

    @Test
    void aKeyInTheQueryStringOfASignInPostIsRefusedWith400UncheckedAndNeverLogged() throws Exception {
        // Issue 24: POST /ui/sign-in?key=... signed in, with the key in every proxy's and server's log.
        int mark = ServerLog.mark();
        for (String query : List.of("key=", "next=%2F&ke%79=")) { // a percent-encoded name is the same parameter
            for (String form : List.of("next=%2F", "key=" + READ_KEY + "&next=%2F")) {
                HttpResponse<String> r = send(post("ui/sign-in?" + query + READ_KEY, form).header("Origin", origin()));
                assertEquals(400, r.statusCode(), query + ", " + form + ": " + r.body());
                assertTrue(r.headers().firstValue("Set-Cookie").isEmpty(), "no session, whether or not the form has it too");
                assertTrue(r.body().contains("in the address"), r.body());
                assertFalse(r.body().contains(READ_KEY), "the key is not repeated");
            }
        }
        assertFalse(ServerLog.since(mark).contains(READ_KEY), "the key is never logged");
        assertEquals(303, send(signInForm(READ_KEY, "/")).statusCode(), "the form's body is where a key goes");
    }

    @Test
    void aNextPointingAwayFromThisServerIsIgnored() throws Exception {
        for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example")) {
            HttpResponse<String> r = send(signInForm(READ_KEY, next));
            assertEquals(303, r.statusCode());
            assertEquals(contextPath() + "/", header(r, "Location"), next);
        }
    }

    @Test
    void theSessionIsRefusedOnceItsLifetimeIsOver() throws Exception {
        String token = signIn(READ_KEY);
        assertTrue(send(get("ui/sign-in").header("Cookie", "ts_session=" + token)).body().contains("Signed in as"));
        // A tampered token is no session: the server checks the signature, not just the cookie's presence.
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertFalse(send(get("ui/sign-in").header("Cookie", "ts_session=" + tampered)).body().contains("Signed in as"));
        Thread.sleep(TTL.plusSeconds(1).toMillis());
        // The browser would have dropped it by Max-Age; a client that kept it is refused all the same.
        assertFalse(send(get("ui/sign-in").header("Cookie", "ts_session=" + token)).body().contains("Signed in as"));
    }

    @Test
    void aCrossSiteDemoRequestIsRefusedAndASameOriginOneAccepted() throws Exception {
        String session = "ts_session=" + signIn(OPERATOR_KEY);
        Map<String, Map<String, String>> refused = new LinkedHashMap<>();
        refused.put("another site, by fetch metadata", Map.of("Sec-Fetch-Site", "cross-site", "Origin", origin()));
        refused.put("a sibling site", Map.of("Sec-Fetch-Site", "same-site"));
        refused.put("another origin", Map.of("Origin", "http://evil.example"));
        refused.put("another referer", Map.of("Referer", "http://evil.example/page"));
        refused.put("nothing said", Map.of());
        for (Map.Entry<String, Map<String, String>> c : refused.entrySet()) {
            HttpRequest.Builder post = post("ui/demo", "").header("Cookie", session);
            c.getValue().forEach(post::header);
            HttpResponse<String> r = send(post);
            assertEquals(403, r.statusCode(), c.getKey() + ": " + r.body());
            assertTrue(header(r, "Content-Type").startsWith("application/problem+json"), c.getKey());
            assertTrue(r.body().contains("cross-site-request"), r.body());
        }
        HttpResponse<String> signOut = send(post("ui/sign-out", "").header("Cookie", session).header("Origin", "http://evil.example"));
        assertEquals(403, signOut.statusCode(), "no other site may sign the user out either");

        HttpResponse<String> started = send(post("ui/demo", "").header("Cookie", session)
                .header("Sec-Fetch-Site", "same-origin").header("Origin", origin()));
        assertEquals(303, started.statusCode(), started.body());
        assertTrue(header(started, "Location").matches(".*/ui/traces/demo-[0-9a-f]{12}$"), header(started, "Location"));
    }

    // ------------------------------------------------------------------ in Chromium

    @Test
    void inTheBrowserSignInShowsWhoIsSignedInAndSignOutClearsTheCookie() {
        String next = contextPath() + "/?status=failed";
        browser.open(page("ui/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        submitKey("wrong-key");
        assertTrue(browser.awaitText(By.id("sign-in-error")).contains("That key is not known here"));
        assertNull(browser.driver().manage().getCookieNamed("ts_session"));
        assertEquals(1, browser.consoleErrors().size(), "the 401 of the refused key, which Chromium logs");

        Instant before = Instant.now();
        submitKey(READ_KEY);
        browser.await(d -> d.getCurrentUrl().endsWith(next));
        Cookie cookie = browser.driver().manage().getCookieNamed("ts_session");
        assertNotNull(cookie);
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getSameSite());
        assertEquals("/", cookie.getPath());
        assertFalse(cookie.isSecure());
        long expiresIn = cookie.getExpiry().toInstant().getEpochSecond() - before.getEpochSecond();
        assertTrue(expiresIn >= TTL.toSeconds() - 2 && expiresIn <= TTL.toSeconds() + 1, "expires in " + expiresIn + " s");
        assertEquals(null, browser.script("return document.cookie.includes('ts_session') ? 'readable' : null"),
                "no script can read it");
        assertEquals("viewer", browser.awaitText(By.id("signed-in-as")));

        browser.driver().findElement(By.id("sign-out")).click();
        browser.await(d -> d.getCurrentUrl().contains("/ui/sign-in"));
        assertNull(browser.driver().manage().getCookieNamed("ts_session"));
        assertTrue(browser.driver().findElements(By.id("signed-in-as")).isEmpty());
        assertEquals(List.of(), browser.consoleErrors());
    }

    @Test
    void theTracePageDrawsItsDiagramUnderTheCspWithoutAViolation() {
        String traceId = "csp-" + UUID.randomUUID().toString().substring(0, 8);
        ingest(traceId, "[" + event("workflow_started", "planner", "") + "," + event("agent_called", "coder", "")
                + "," + event("task_completed", "coder", "") + "," + event("workflow_completed", "planner", "") + "]");
        signInInBrowser(READ_KEY, contextPath() + "/ui/traces/" + traceId);
        browser.await(d -> !d.findElements(By.cssSelector("#diagram-body svg")).isEmpty());
        // Mermaid styles its SVG inline: allowed by style-src 'unsafe-inline'; scripts stay 'self' only.
        assertEquals(List.of(), browser.consoleErrors(), "no CSP violation (Chromium logs each one as an error)");
    }

    @Test
    void theDemoButtonWorksFromOurPageButNotFromAnotherSitesForm() {
        signInInBrowser(OPERATOR_KEY, contextPath() + "/");
        browser.driver().findElement(By.cssSelector("form.demo-form button")).click();
        browser.await(d -> d.getCurrentUrl().matches(".*/ui/traces/demo-[0-9a-f]{12}$"));

        // Another site's page (here a data: URL, an opaque origin) with a form aimed at us.
        String form = "<form method=post action='" + page("ui/demo") + "'><button id=go>win a prize</button></form>";
        browser.open("data:text/html," + URLEncoder.encode(form, StandardCharsets.UTF_8).replace("+", "%20"));
        browser.driver().findElement(By.id("go")).click();
        // The Strict cookie is not sent from another site, so the post arrives without a session and
        // is sent to sign in (then to the list, not back to the post); no demo starts.
        browser.await(d -> d.getCurrentUrl().contains("/ui/sign-in?next="));
        assertEquals("Sign in", browser.awaitText(By.tagName("h1")), browser.driver().getPageSource());
        assertTrue(browser.driver().getCurrentUrl().endsWith("next=" + URLEncoder.encode(contextPath() + "/", StandardCharsets.UTF_8)),
                browser.driver().getCurrentUrl());
        assertEquals(List.of(), browser.consoleErrors());
    }

    /** Needs the access filter (auth branch): it sends a page request without a session to sign-in. */
    @Test
    void aPageWithoutASessionSendsTheBrowserToSignInAndBack() {
        String wanted = contextPath() + "/?status=failed";
        browser.open(page("?status=failed"));
        browser.await(d -> d.getCurrentUrl().contains("/ui/sign-in?next="));
        submitKey(READ_KEY);
        browser.await(d -> d.getCurrentUrl().endsWith(wanted));
        assertEquals("viewer", browser.awaitText(By.id("signed-in-as")));
    }

    /**
     * Needs the access filter (auth branch): it puts the session's Access on the stream request, so
     * the stream ends at the session's expiry, and refuses the reconnect without a valid session.
     */
    @Test
    void aStreamOpenedWithTheSessionEndsAtItsExpiryAndThePageAsksToSignInAgainThenResumes() throws Exception {
        String traceId = "expiry-" + UUID.randomUUID().toString().substring(0, 8);
        ingest(traceId, event("workflow_started", "planner", ""));
        String tracePage = contextPath() + "/ui/traces/" + traceId;
        signInInBrowser(READ_KEY, tracePage);
        browser.await(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        ingest(traceId, event("agent_called", "coder", ""));
        browser.await(d -> d.findElements(By.cssSelector("#event-log li")).size() == 2);

        // The session ends (its cookie with it): the stream ends, the reconnect is refused, the page goes to sign-in.
        browser.await(d -> d.getCurrentUrl().contains("/ui/sign-in?next="));
        ingest(traceId, event("task_completed", "coder", ""));
        submitKey(READ_KEY);
        browser.await(d -> d.getCurrentUrl().endsWith(tracePage));
        browser.await(d -> d.findElements(By.cssSelector("#event-log li")).size() == 3);
        List<String> ids = new ArrayList<>();
        browser.driver().findElements(By.cssSelector("#event-log li")).forEach(li -> ids.add(li.getAttribute("data-id")));
        assertEquals(3, ids.stream().distinct().count(), "every event once: " + ids);
    }

    // ------------------------------------------------------------------ helpers

    private void signInInBrowser(String key, String next) {
        browser.open(page("ui/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
        submitKey(key);
        browser.await(d -> d.getCurrentUrl().endsWith(next));
    }

    private void submitKey(String key) {
        var field = browser.driver().findElement(By.id("key"));
        field.clear();
        field.sendKeys(key);
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
    }

    /** Signs in over HTTP and answers the session token. */
    private String signIn(String key) throws IOException, InterruptedException {
        HttpResponse<String> r = send(signInForm(key, "/"));
        assertEquals(303, r.statusCode(), r.body());
        Matcher cookie = SESSION_COOKIE.matcher(header(r, "Set-Cookie"));
        assertTrue(cookie.matches(), header(r, "Set-Cookie"));
        return cookie.group(1);
    }

    private HttpRequest.Builder signInForm(String key, String next) {
        return post("ui/sign-in", "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)).header("Origin", origin());
    }

    private void ingest(String traceId, String json) {
        HttpResponse<String> r = api.post("traces/" + traceId + "/events", json, Map.of("Authorization", "Bearer " + INGEST_KEY));
        assertEquals(202, r.statusCode(), r.body());
    }

    private static String event(String type, String agent, String extra) {
        return DashboardIT.event(type, agent, extra);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(api.uri(path)).header("Accept", "text/html").GET();
    }

    private HttpRequest.Builder post(String path, String form) {
        return HttpRequest.newBuilder(api.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }

    private String origin() {
        return deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort();
    }

    /** The application's path on the server, "" at the root. */
    private String contextPath() {
        String path = api.uri("").getPath();
        return path.substring(0, path.length() - 1);
    }

    private String page(String path) {
        return api.uri(path).toString();
    }
}
