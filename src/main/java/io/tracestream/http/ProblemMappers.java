package io.tracestream.http;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.domain.InvalidEventsException;
import io.tracestream.store.StoreUnavailableException;
import io.tracestream.ops.ThrottledWarning;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure of a request into an {@code application/problem+json} response. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());
    /** Every request is refused while the store is away: say so once a minute, not once a request. */
    private static final ThrottledWarning UNAVAILABLE = new ThrottledWarning(LOG, ThrottledWarning.EVERY);

    private ProblemMappers() {}

    @Provider
    public static class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
        @Inject
        TraceStreamConfig config;

        @Override
        public Response toResponse(ProblemException e) {
            Problem problem = e.problem();
            // Every 503 here is temporary: say when to come back.
            return problem.status() == 503 ? problem.toResponse(config.retryAfter()) : problem.toResponse();
        }
    }

    @Provider
    public static class InvalidEventsMapper implements ExceptionMapper<InvalidEventsException> {
        @Override
        public Response toResponse(InvalidEventsException e) {
            return Problem.invalidEvents(e.errors()).toResponse();
        }
    }

    @Provider
    public static class StoreUnavailableMapper implements ExceptionMapper<StoreUnavailableException> {
        @Inject
        TraceStreamConfig config;

        @Override
        public Response toResponse(StoreUnavailableException e) {
            UNAVAILABLE.warn(() -> "Answering 503: " + e.getMessage());
            return Problem.unavailable(e.getMessage()).toResponse(config.retryAfter());
        }
    }

    /** JAX-RS's own failures (unknown path, wrong method or media type) as problems too. */
    @Provider
    public static class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            Response.StatusType status = original.getStatusInfo();
            if (status.getStatusCode() < 400) {
                return original; // not a failure, such as the 204 that ends a finished trace's stream
            }
            Problem problem = Problem.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage());
            Response.ResponseBuilder response = Response.status(status.getStatusCode())
                    .type(Problem.PROBLEM_JSON).entity(problem.toJson());
            // Keep what the client needs to act, such as Allow on a 405.
            original.getHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Type")) {
                    values.forEach(v -> response.header(name, v));
                }
            });
            return response.build();
        }
    }

    /** A bug: logged with its stack, answered without it. */
    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            LOG.log(Level.SEVERE, "Unexpected error", e);
            return Problem.internalError().toResponse();
        }
    }
}
