package io.tracestream.http;

import io.tracestream.ops.TraceCorrelation;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Records the workflow's trace id of each request (from the path, else the X-Trace-ID header) on
 * the request's OpenTelemetry span and in its log lines. A trace id minted by the server is
 * recorded where it is minted ({@link io.tracestream.ingest.EventIngest}).
 */
@Provider
public class CorrelationFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String traceId = request.getUriInfo().getPathParameters().getFirst("trace_id");
        if (traceId == null) {
            traceId = request.getHeaderString(JsonEventsEndpoint.TRACE_ID_HEADER);
        }
        if (traceId != null && io.tracestream.domain.TraceId.isValid(traceId)) {
            TraceCorrelation.trace(traceId);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        TraceCorrelation.clear(); // request threads are pooled: the next request starts clean
    }
}
