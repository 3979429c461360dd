package io.tracestream.http;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a state-changing page request (run the demo, sign in, sign out) came from one of our own
 * pages rather than a form or script on another site. Browsers say where a request came from in
 * {@code Sec-Fetch-Site}; older ones only in {@code Origin} or {@code Referer}, which must then name
 * the host the request was sent to. A request that says nothing is refused too: every browser that
 * can show the dashboard sends one of the three on a POST, and a tool without them can use the API.
 */
final class CrossSiteCheck {

    private CrossSiteCheck() {}

    /**
     * @param secFetchSite the {@code Sec-Fetch-Site} header, or null
     * @param origin       the {@code Origin} header, or null
     * @param referer      the {@code Referer} header, or null
     * @param hosts        the host (with port, as in {@code Host}) the request was sent to; a proxy's
     *                     {@code X-Forwarded-Host} may be one of them
     * @return null when the request is allowed, else why it was refused
     */
    static String refusal(String secFetchSite, String origin, String referer, String... hosts) {
        if (secFetchSite != null) {
            String site = secFetchSite.trim().toLowerCase(Locale.ROOT);
            // "none": the user typed it or used a bookmark; no page asked for it.
            return site.equals("same-origin") || site.equals("none") ? null
                    : "this action may only be started from this server's own pages (Sec-Fetch-Site: " + site + ")";
        }
        if (origin != null && !origin.equals("null")) {
            return sameHost(origin, hosts) ? null : "this action may only be started from this server's own pages (Origin differs)";
        }
        if (referer != null) {
            return sameHost(referer, hosts) ? null : "this action may only be started from this server's own pages (Referer differs)";
        }
        return "this action needs a browser that says where the request came from (Sec-Fetch-Site, Origin or Referer)";
    }

    private static boolean sameHost(String url, String... hosts) {
        String authority;
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                return false;
            }
            authority = uri.getRawAuthority();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (authority == null || authority.contains("@")) {
            return false;
        }
        for (String host : hosts) {
            if (host != null && !host.isBlank() && withDefaultPort(authority, url).equalsIgnoreCase(withDefaultPort(host.trim(), url))) {
                return true;
            }
        }
        return false;
    }

    /** {@code host} and {@code host:80} are the same place for an http URL (and :443 for https). */
    private static String withDefaultPort(String authority, String url) {
        boolean hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
        if (hasPort) {
            return authority;
        }
        return authority + (url.regionMatches(true, 0, "https:", 0, 6) ? ":443" : ":80");
    }
}
