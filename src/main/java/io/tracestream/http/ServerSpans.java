package io.tracestream.http;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;

/**
 * OpenTelemetry server spans for the requests that do not go through JAX-RS (ingest), which
 * MicroProfile Telemetry traces by itself: the same span shape, continuing an incoming W3C
 * {@code traceparent}. With the SDK off (the default) these are no-ops.
 */
@ApplicationScoped
public class ServerSpans {

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String name) {
            return request == null ? null : request.getHeader(name);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    private Tracer tracer;

    /** A request's span, current on this thread until {@link Request#close}. */
    public interface Request extends AutoCloseable {
        void status(int httpStatus);

        @Override
        void close();
    }

    /** Starts the span of a request to {@code route} (such as {@code /traces/{trace_id}/events}). */
    public Request start(HttpServletRequest request, String route) {
        if (tracer == null) {
            tracer = openTelemetry.getTracer("io.tracestream");
        }
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), request, HEADERS);
        Span span = tracer.spanBuilder(request.getMethod() + " " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.method", request.getMethod())
                .setAttribute("http.route", route)
                .setAttribute("http.target", request.getRequestURI())
                .startSpan();
        Scope scope = span.makeCurrent();
        return new Request() {
            @Override
            public void status(int httpStatus) {
                span.setAttribute("http.status_code", httpStatus);
                if (httpStatus >= 500) {
                    span.setStatus(StatusCode.ERROR);
                }
            }

            @Override
            public void close() {
                scope.close();
                span.end();
            }
        };
    }
}
