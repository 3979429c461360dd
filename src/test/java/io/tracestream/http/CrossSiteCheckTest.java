package io.tracestream.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CrossSiteCheckTest {

    private static final String HOST = "traces.example:8080";

    @Test
    void aRequestFromOurOwnPageIsAllowedBySecFetchSite() {
        assertNull(CrossSiteCheck.refusal("same-origin", null, null, HOST));
        assertNull(CrossSiteCheck.refusal("none", null, null, HOST), "typed or bookmarked: no page sent it");
    }

    @Test
    void aRequestFromAnotherSiteIsRefusedBySecFetchSiteWhateverItsOriginSays() {
        assertNotNull(CrossSiteCheck.refusal("cross-site", "http://" + HOST, null, HOST));
        assertNotNull(CrossSiteCheck.refusal("same-site", "http://" + HOST, null, HOST), "a sibling subdomain is not us");
    }

    @Test
    void withoutSecFetchSiteTheOriginMustNameTheHost() {
        assertNull(CrossSiteCheck.refusal(null, "http://traces.example:8080", null, HOST));
        assertNull(CrossSiteCheck.refusal(null, "https://TRACES.example", null, "traces.example"), "case and default port");
        assertNull(CrossSiteCheck.refusal(null, "http://traces.example:80", null, "traces.example"));
        assertNotNull(CrossSiteCheck.refusal(null, "http://evil.example", null, HOST));
        assertNotNull(CrossSiteCheck.refusal(null, "http://traces.example:9090", null, HOST), "another port is another origin");
        assertNotNull(CrossSiteCheck.refusal(null, "http://traces.example:8080.evil.example", null, HOST));
    }

    @Test
    void behindAProxyTheForwardedHostCounts() {
        assertNull(CrossSiteCheck.refusal(null, "https://traces.example", null, "10.0.0.5:8080", "traces.example"));
    }

    @Test
    void withoutOriginTheRefererMustNameTheHost() {
        assertNull(CrossSiteCheck.refusal(null, null, "http://traces.example:8080/?status=failed", HOST));
        assertNotNull(CrossSiteCheck.refusal(null, null, "http://evil.example/traces.example:8080", HOST));
        assertNotNull(CrossSiteCheck.refusal(null, null, "http://traces.example:8080@evil.example/", HOST));
    }

    @Test
    void anOpaqueOriginFallsBackToTheReferer() {
        assertNotNull(CrossSiteCheck.refusal(null, "null", null, HOST), "a sandboxed frame or a data: page");
        assertNull(CrossSiteCheck.refusal(null, "null", "http://traces.example:8080/", HOST));
    }

    @Test
    void aRequestThatSaysNothingAboutWhereItCameFromIsRefused() {
        assertNotNull(CrossSiteCheck.refusal(null, null, null, HOST));
        assertNotNull(CrossSiteCheck.refusal(null, "not a url", null, HOST));
        assertNotNull(CrossSiteCheck.refusal(null, "javascript:alert(1)", null, HOST));
    }
}
