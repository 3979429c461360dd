package io.tracestream.http;

import io.tracestream.auth.Access;
import io.tracestream.auth.AccessControl;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Checks the trace a resource is about to read against the request's key once more, as JAX-RS
 * parsed its {@code trace_id}: the access filter decided from the servlet path, and this makes sure
 * no difference between the two parsers (matrix parameters, encodings) can reach another trace.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class TracePrefixCheck implements ContainerRequestFilter {

    @Context
    HttpServletRequest servletRequest;
    @Inject
    AccessControl control;

    @Override
    public void filter(ContainerRequestContext request) {
        String traceId = request.getUriInfo().getPathParameters().getFirst("trace_id");
        if (traceId == null || request.getMethod().equals("OPTIONS")) {
            return; // a preflight reads nothing, and the access filter lets it through without a key
        }
        if (!(servletRequest.getAttribute(Access.REQUEST_ATTRIBUTE) instanceof Access access)) {
            throw new IllegalStateException("no access on the request: the access filter did not run");
        }
        control.checkTraces(access, Set.of(traceId)).ifPresent(refusal -> request.abortWith(
                Problem.of(refusal).toResponse()));
    }
}
