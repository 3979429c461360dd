package io.tracestream.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.testing.Api;
import io.tracestream.testing.FromAddress;
import io.tracestream.testing.Keys;
import io.tracestream.testing.Metrics;
import io.tracestream.testing.OtlpSpans;
import io.tracestream.testing.TestDeployments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wrong keys are throttled per client address (issue 24: 200 wrong keys in 0.4 s were all plain
 * 401): a small burst of wrong keys, then 429 with {@code Retry-After} for every key from that
 * address, in the API's format, OTLP's and on the sign-in page, counted as {@code throttled}.
 * Each test guesses from a loopback address of its own ({@link FromAddress}), so what another
 * address gets is what the server answers everyone else. The allowance refills so slowly (one key
 * in 1,000 s) that what is throttled is a count of answers, whatever the machine's speed.
 */
@ExtendWith(ArquillianExtension.class)
class WrongKeyThrottleIT {

    static final int BURST = 3;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String READER = "reader-key-" + RUN;
    static final String OTEL = "otel-key-" + RUN;

    @ArquillianResource
    URL deployment;

    @Deployment(testable = false)
    static WebArchive deployment() {
        String keys = "[" + Keys.entry("reader", READER, "\"read\"", "") + ","
                + Keys.entry("otel", OTEL, "\"ingest\"", "") + "]";
        return TestDeployments.war(Map.of(
                "tracestream.auth.keys", keys,
                "tracestream.auth.wrong-key-burst", Integer.toString(BURST),
                "tracestream.auth.wrong-key-rate-per-s", "0.001"));
    }

    Api api() {
        return new Api(deployment);
    }

    /** What a browser posts the sign-in form with: from our own page, so the cross-site check lets it through. */
    Map<String, String> form(String... more) {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Origin", deployment.getProtocol() + "://" + deployment.getHost() + ":" + deployment.getPort()));
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    @Test
    void afterItsBurstOfWrongKeysAnAddressGets429ForEveryKeyInTheApisAndOtlpsFormatWhileOthersAreAnsweredAsBefore() {
        FromAddress guesser = FromAddress.anyLoopback();
        Metrics before = Metrics.scrape(api());
        List<Integer> statuses = new ArrayList<>();
        FromAddress.Response throttled = null;
        for (int i = 0; i < 20; i++) {
            // A forged X-Forwarded-For does not make a guess another client's: the connection's address counts.
            FromAddress.Response r = guesser.get(api().uri("traces"), Map.of("Authorization", "Bearer guess-" + i,
                    "X-Forwarded-For", "203.0.113." + i));
            statuses.add(r.status());
            throttled = r.status() == 429 ? r : throttled;
        }
        List<Integer> expected = new ArrayList<>(Collections.nCopies(BURST, 401));
        expected.addAll(Collections.nCopies(20 - BURST, 429));
        assertEquals(expected, statuses);
        assertEquals("application/problem+json", throttled.header("Content-Type").split(";")[0]);
        JsonObject problem = json(throttled.body());
        assertEquals(429, problem.getInt("status"));
        assertEquals("urn:tracestream:problem:too-many-wrong-keys", problem.getString("type"));
        assertTrue(Long.parseLong(throttled.header("Retry-After")) >= 1, throttled.headers().toString());

        // Until then no key from the address is looked at, a right one neither: else guessing would go on.
        assertEquals(429, guesser.get(api().uri("traces"), Keys.bearer(READER)).status());
        FromAddress.Response otlp = guesser.post(api().uri("v1/traces"),
                Map.of("Authorization", "Bearer " + OTEL, "Content-Type", "application/json"),
                OtlpSpans.otlpJson("ab" + "1".repeat(30)));
        assertEquals(429, otlp.status(), otlp.body());
        assertEquals("application/json", otlp.header("Content-Type").split(";")[0]);
        assertEquals(8, json(otlp.body()).getInt("code"), "RESOURCE_EXHAUSTED: " + otlp.body());
        assertTrue(Long.parseLong(otlp.header("Retry-After")) >= 1, otlp.headers().toString());

        // The same address without a key is answered as before; another address with its key as well.
        assertEquals(401, guesser.get(api().uri("traces"), Map.of()).status());
        assertEquals(200, api().get(api().uri("traces"), Keys.bearer(READER)).statusCode());
        assertEquals(200, FromAddress.anyLoopback().get(api().uri("traces"), Keys.bearer(READER)).status());

        Metrics after = Metrics.scrape(api());
        after.require("tracestream_auth_failures_total", Map.of("reason", "throttled")); // a series of its own, for the alert
        assertEquals(20 - BURST + 2, counted(after, "throttled") - counted(before, "throttled"), "each 429 counted");
        assertEquals(BURST, counted(after, "unknown_key") - counted(before, "unknown_key"), "each wrong key looked at");
    }

    @Test
    void wrongKeysOnTheSignInPageSpendTheSameAllowanceAndThenEvenTheRightKeyWaits() {
        FromAddress guesser = FromAddress.anyLoopback();
        for (int i = 0; i < BURST - 1; i++) {
            assertEquals(401, guesser.post(api().uri("ui/sign-in"), form(), "key=guess-" + i + "&next=%2F").status(), "guess " + i);
        }
        // The API and the page count together: the page is no way round the throttle.
        assertEquals(401, guesser.get(api().uri("traces"), Map.of("Authorization", "Bearer guess-api")).status());

        FromAddress.Response page = guesser.post(api().uri("ui/sign-in"), form("Accept", "text/html"), "key=" + READER + "&next=%2F");
        assertEquals(429, page.status(), page.body());
        assertNull(page.header("Set-Cookie"), "the right key is not looked at while the address waits");
        assertTrue(Long.parseLong(page.header("Retry-After")) >= 1, page.headers().toString());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("Too many wrong keys"), page.body());

        FromAddress.Response script = guesser.post(api().uri("ui/sign-in"), form(), "key=guess-script&next=%2F");
        assertEquals(429, script.status());
        assertEquals("application/problem+json", script.header("Content-Type").split(";")[0]);
        assertTrue(Long.parseLong(script.header("Retry-After")) >= 1, script.headers().toString());

        FromAddress.Response elsewhere = FromAddress.anyLoopback().post(api().uri("ui/sign-in"), form(), "key=" + READER + "&next=%2F");
        assertEquals(303, elsewhere.status(), "another address signs in as before: " + elsewhere.body());
        assertTrue(elsewhere.header("Set-Cookie").startsWith("ts_session="));
    }

    static long counted(Metrics metrics, String reason) {
        return (long) metrics.counter("tracestream_auth_failures_total", Map.of("reason", reason));
    }

    static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}
