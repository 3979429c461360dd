package io.tracestream.http;

import io.tracestream.auth.BrowserSessions;
import io.tracestream.auth.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;

/**
 * What a request is, from its method, path and {@code Accept} alone: the application's one route
 * table. Every filter of the edge reads the request's route from here: which scope it needs (none:
 * public), the trace its path names, how a refusal is answered (a problem document, OTLP's status,
 * or a browser sent to sign in), whether it opens a stream (counted per key and gated), the methods
 * its path takes, and its template for spans and logs.
 *
 * @param template the path's pattern, such as {@code /traces/{trace_id}/events}
 * @param scope null for a public request
 * @param traceId the trace the path names; null when it names none
 * @param answer how an error of this request is answered
 * @param stream whether the request opens a Server-Sent Events stream
 * @param allow the methods the path takes, for {@code Allow} and preflights
 */
public record Route(String template, Scope scope, String traceId, Answer answer, boolean stream, String allow) {

    /** How errors are answered on a route. */
    public enum Answer {
        /** An {@code application/problem+json} document. */
        PROBLEM,
        /** A {@code google.rpc.Status} in the request's own encoding, as OTLP/HTTP exporters expect. */
        OTLP,
        /** A dashboard page: a browser is sent to sign in, and shown an error page. */
        PAGE
    }

    /** The OTLP/HTTP traces receiver. */
    public static final String OTLP = "/v1/traces";
    /** {@code POST /events}: events whose trace is named by a header, the body, or minted. */
    public static final String EVENTS = "/events";
    /** {@code POST /traces/{trace_id}/events}, and the trace's history on {@code GET}. */
    public static final String TRACE_EVENTS = "/traces/{trace_id}/events";
    /** {@code GET /traces/{trace_id}/events/{event_id}/content}: what one call said, stored beside its event. */
    public static final String EVENT_CONTENT = "/traces/{trace_id}/events/{event_id}/content";
    public static final String DEMO = "/ui/demo";
    public static final String SIGN_IN = BrowserSessions.SIGN_IN_PATH;
    public static final String SIGN_OUT = BrowserSessions.SIGN_OUT_PATH;
    public static final String STATIC = "/static/";

    private static final String ATTRIBUTE = Route.class.getName();
    private static final String TRACES = "/traces";
    private static final String UI_TRACES = "/ui/traces/";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String READS = "GET, HEAD, OPTIONS";
    private static final String POSTS = "POST, OPTIONS";
    /** Health, metrics and the OpenAPI document: served by Payara, not by this application. */
    private static final List<String> PAYARA = List.of("/health", "/metrics", "/openapi");

    /**
     * @param path the path inside the application ({@code /traces/t1/stream}), decoded as the
     *             container maps it
     * @param accept the request's {@code Accept} header, or null
     */
    public static Route of(String method, String path, String accept) {
        String m = method.toUpperCase(Locale.ROOT);
        Route route = of(m.equals("POST"), path, accept);
        // A preflight carries no credential and is answered with CORS headers only.
        return m.equals("OPTIONS") ? new Route(route.template, null, null, route.answer, false, route.allow) : route;
    }

    private static Route of(boolean post, String path, String accept) {
        if (path.isEmpty() || path.equals("/")) {
            return page("/", Scope.READ, null, READS);
        }
        if (path.startsWith(STATIC)) {
            return publicRoute(STATIC + "*", Answer.PAGE, READS); // the dashboard's scripts and styles: no trace data
        }
        if (path.equals(SIGN_IN)) {
            return publicRoute(SIGN_IN, Answer.PAGE, "GET, HEAD, POST, OPTIONS"); // a browser without a session must reach it
        }
        if (path.equals(SIGN_OUT)) {
            return publicRoute(SIGN_OUT, Answer.PAGE, POSTS);
        }
        for (String payara : PAYARA) {
            if (path.equals(payara) || path.startsWith(payara + "/")) {
                // Payara's own endpoints, which pass this application's filters when it is deployed at
                // the root: probes and Prometheus need them without a key, and they hold no trace data.
                return publicRoute(payara, Answer.PROBLEM, READS);
            }
        }
        if (path.equals(OTLP)) {
            return new Route(OTLP, post ? Scope.INGEST : Scope.READ, null, Answer.OTLP, false, POSTS);
        }
        if (path.equals(EVENTS)) {
            return new Route(EVENTS, post ? Scope.INGEST : Scope.READ, null, Answer.PROBLEM, false, POSTS);
        }
        if (path.equals(DEMO)) {
            return page(DEMO, post ? Scope.ADMIN : Scope.READ, null, POSTS);
        }
        if (path.startsWith(UI_TRACES)) {
            return page(UI_TRACES + "{trace_id}", Scope.READ, segment(path, UI_TRACES.length()), READS);
        }
        if (path.startsWith("/ui/")) {
            return new Route(path, Scope.READ, null, Answer.PROBLEM, false, READS); // the pages' own fetches
        }
        if (path.equals(TRACES) || path.equals(TRACES + "/")) {
            boolean stream = accept != null && accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM);
            return new Route(TRACES, Scope.READ, null, Answer.PROBLEM, stream, READS);
        }
        if (path.startsWith(TRACES + "/")) {
            String traceId = segment(path, TRACES.length() + 1);
            String rest = path.substring(TRACES.length() + 1 + traceId.length());
            String template = TRACES + "/{trace_id}" + rest;
            if (rest.equals("/events") && !traceId.isEmpty()) {
                return new Route(TRACE_EVENTS, post ? Scope.INGEST : Scope.READ, traceId, Answer.PROBLEM, false,
                        "GET, POST, OPTIONS");
            }
            if (rest.startsWith("/events/") && rest.endsWith("/content") && rest.indexOf('/', "/events/".length()) == rest.length() - "/content".length()) {
                template = EVENT_CONTENT; // one template for all event ids: server spans and metrics stay few
            }
            return new Route(template, Scope.READ, traceId, Answer.PROBLEM, rest.equals("/stream"), READS);
        }
        // Any other path needs read access, so that even a 404 is answered only to a client with a key.
        return new Route(path, Scope.READ, null, Answer.PROBLEM, false, READS);
    }

    /** The request's route, found once and kept on the request for the filters after the first. */
    static Route of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof Route route) {
            return route;
        }
        Route route = of(request.getMethod(), path(request), request.getHeader("Accept"));
        request.setAttribute(ATTRIBUTE, route);
        return route;
    }

    /** The path inside the application, as the container mapped it. */
    static String path(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    public boolean isPublic() {
        return scope == null;
    }

    /** Whether the route's path takes {@code method}. */
    public boolean takes(String method) {
        return List.of(allow.split(", ")).contains(method);
    }

    private static Route page(String template, Scope scope, String traceId, String allow) {
        return new Route(template, scope, traceId, Answer.PAGE, false, allow);
    }

    private static Route publicRoute(String template, Answer answer, String allow) {
        return new Route(template, null, null, answer, false, allow);
    }

    private static String segment(String path, int from) {
        int end = path.indexOf('/', from);
        return path.substring(from, end < 0 ? path.length() : end);
    }
}
