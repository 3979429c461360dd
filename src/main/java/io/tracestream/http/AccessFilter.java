package io.tracestream.http;

import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import io.tracestream.auth.BrowserSessions;
import io.tracestream.auth.Refusal;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * The one gate in front of every path of the application: ingest, OTLP, the API's reads and
 * streams, the dashboard's pages and {@code /ui/*}. Public: what the {@link Route} table says is
 * (the dashboard's static files, the sign-in, every preflight, Payara's own endpoints).
 *
 * <p>It finds the request's {@link Access} ({@link AccessControl}), refuses what that access does
 * not allow by scope or by the trace the path names, puts it on the request for the resources (which
 * filter lists and check the traces inside bodies), and counts each key's open streams, released
 * when the stream ends ({@link StreamEnd}).
 */
public class AccessFilter extends HttpFilter {

    @Inject
    AccessControl control;
    @Inject
    BrowserSessions sessions;
    @Inject
    Problems problems;
    @Inject
    OtlpAnswers otlp;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Route route = Route.of(request);
        if (route.isPublic()) {
            chain.doFilter(request, response);
            return;
        }
        AccessControl.Decision decision = control.decide(request, route.scope(), route.traceId());
        if (!decision.granted()) {
            refuse(request, response, route, decision.refusal());
            return;
        }
        Access access = decision.access();
        request.setAttribute(Access.REQUEST_ATTRIBUTE, access);
        if (!route.stream()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Refusal> full = control.openStream(access);
        if (full.isPresent()) {
            refuse(request, response, route, full.get());
            return;
        }
        StreamEnd end = new StreamEnd(() -> control.streamEnded(access));
        request.setAttribute(StreamEnd.ATTRIBUTE, end);
        try {
            chain.doFilter(request, response);
        } finally {
            // No stream was opened (a refusal, 404, 204 or a full instance), unless the open waits at
            // the StreamOpenGate, which then gives the slot back itself if it does not open.
            if (!end.isHandedOver() && !StreamOpenGate.isParked(request)) {
                end.run();
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Route route, Refusal refusal)
            throws IOException {
        if (route.answer() == Route.Answer.OTLP) {
            otlp.refuse(request, response, OtlpAnswers.of(request), refusal);
        } else if (route.answer() == Route.Answer.PAGE && refusal.status() == Refusal.UNAUTHORIZED) {
            // A person at the dashboard: send them to sign in, and back to the page afterwards (to the
            // list after a form such as the demo button, which signing in does not post again).
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", request.getMethod().equals("GET")
                    ? sessions.signInRedirect(request) : sessions.signInThenList(request));
        } else {
            problems.refuse(request, response, refusal);
        }
    }
}
