package io.tracestream.auth;

import java.util.Locale;

/**
 * What a request needs, from its method and path alone: nothing (public), or a scope, and the
 * trace it names, if any. Also how to answer a refusal: in OTLP's format on the OTLP receiver, by
 * sending a browser to sign in on a page, and whether it opens a stream (counted per key).
 *
 * @param scope null for a public request
 * @param traceId the trace the path names; null when it names none
 */
public record Route(Scope scope, String traceId, boolean otlp, boolean page, boolean stream) {

    /** The OTLP/HTTP traces receiver. */
    public static final String OTLP_PATH = "/v1/traces";
    private static final Route PUBLIC = new Route(null, null, false, false, false);
    private static final String TRACES = "/traces";
    private static final String UI_TRACES = "/ui/traces/";
    private static final String EVENT_STREAM = "text/event-stream";
    /** Health, metrics and the OpenAPI document: served by Payara, not by this application. */
    private static final java.util.List<String> PAYARA = java.util.List.of("/health", "/metrics", "/openapi");

    /**
     * @param path the path inside the application ({@code /traces/t1/stream}), decoded as the
     *             container maps it
     * @param accept the request's {@code Accept} header, or null
     */
    public static Route of(String method, String path, String accept) {
        String m = method.toUpperCase(Locale.ROOT);
        if (m.equals("OPTIONS")) {
            return PUBLIC; // a preflight carries no credential and gets only CORS headers
        }
        boolean post = m.equals("POST");
        if (path.startsWith("/static/") || path.equals(BrowserSessions.SIGN_IN_PATH) || path.equals(BrowserSessions.SIGN_OUT_PATH)) {
            // Public assets, and the sign-in that a browser without a session must reach.
            return PUBLIC;
        }
        for (String payara : PAYARA) {
            if (path.equals(payara) || path.startsWith(payara + "/")) {
                // Payara's own endpoints, which pass this application's filters when it is deployed at
                // the root: probes and Prometheus need them without a key, and they hold no trace data.
                return PUBLIC;
            }
        }
        if (path.equals(OTLP_PATH)) {
            return new Route(post ? Scope.INGEST : Scope.READ, null, true, false, false);
        }
        if (path.equals("/events")) {
            return new Route(post ? Scope.INGEST : Scope.READ, null, false, false, false);
        }
        if (path.equals("/ui/demo")) {
            return new Route(post ? Scope.ADMIN : Scope.READ, null, false, true, false);
        }
        if (path.equals("/") || path.isEmpty()) {
            return new Route(Scope.READ, null, false, true, false);
        }
        if (path.startsWith(UI_TRACES)) {
            return new Route(Scope.READ, segment(path, UI_TRACES.length()), false, true, false);
        }
        if (path.equals(TRACES) || path.equals(TRACES + "/")) {
            boolean stream = accept != null && accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM);
            return new Route(Scope.READ, null, false, false, stream);
        }
        if (path.startsWith(TRACES + "/")) {
            String traceId = segment(path, TRACES.length() + 1);
            String rest = path.substring(TRACES.length() + 1 + traceId.length());
            boolean ingest = post && rest.equals("/events");
            return new Route(ingest ? Scope.INGEST : Scope.READ, traceId, false, false, rest.equals("/stream"));
        }
        // Any other path needs read access, so that even a 404 is answered only to a client with a key.
        return new Route(Scope.READ, null, false, false, false);
    }

    public boolean isPublic() {
        return scope == null;
    }

    private static String segment(String path, int from) {
        int end = path.indexOf('/', from);
        return path.substring(from, end < 0 ? path.length() : end);
    }
}
