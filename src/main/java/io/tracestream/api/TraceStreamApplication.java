package io.tracestream.api;

import io.tracestream.http.Problem;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The HTTP API, at the root of the server; its OpenAPI document is served at {@code /openapi}. */
@ApplicationPath("/")
@OpenAPIDefinition(
        info = @Info(title = "Trace Stream", version = "0.1.0",
                description = "Live streaming of multi-agent workflow traces: send trace events, watch them "
                        + "arrive over Server-Sent Events. Every error is an application/problem+json document, except on the "
                        + "OTLP receiver /v1/traces, which answers as OTLP/HTTP does (a google.rpc.Status)."),
        components = @Components(responses = {
                @APIResponse(name = "BadRequest", responseCode = "400",
                        description = "Invalid input; the problem's errors name each field. Nothing was stored.",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = "NotFound", responseCode = "404",
                        description = "The trace has no events (never written, or expired)",
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"))),
                @APIResponse(name = "Unavailable", responseCode = "503",
                        description = "The store is unreachable or the instance is full; retry after Retry-After seconds. Nothing was stored.",
                        headers = @org.eclipse.microprofile.openapi.annotations.headers.Header(name = "Retry-After",
                                description = "Seconds to wait before retrying",
                                schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.INTEGER)),
                        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
        }))
public class TraceStreamApplication extends Application {

    /**
     * No WADL: Jersey would serve {@code /application.wadl}, and answer {@code OPTIONS} on any path
     * with one, describing every resource to a caller without a key. {@code OPTIONS} is answered by
     * the edge from its route table instead ({@code io.tracestream.http.Route}).
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.wadl.disableWadl", true);
    }
}
