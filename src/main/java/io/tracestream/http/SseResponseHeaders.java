package io.tracestream.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Headers that let streams pass proxies unbuffered and dashboards on other origins read the API
 * (their preflights are answered before JAX-RS, by {@link OptionsFilter}).
 */
@Provider
public class SseResponseHeaders implements ContainerResponseFilter {

    /** Request property, and response header, naming where a truncated replay really starts. */
    public static final String REPLAY_FROM = "X-Replay-From";
    @Inject
    Cors cors;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString(Cors.ORIGIN);
        cors.responseHeaders(origin, response.getHeaders()::putSingle);
        if (MediaType.SERVER_SENT_EVENTS_TYPE.isCompatible(response.getMediaType())) {
            response.getHeaders().putSingle("Cache-Control", "no-cache, no-transform");
            // nginx buffers proxied responses unless told not to.
            response.getHeaders().putSingle("X-Accel-Buffering", "no");
            Object replayFrom = request.getProperty(REPLAY_FROM);
            if (replayFrom != null) {
                response.getHeaders().putSingle(REPLAY_FROM, replayFrom);
            }
        }
    }
}
