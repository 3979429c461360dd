package io.tracestream.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shape of {@link Problem} in the OpenAPI document (RFC 9457 with a list of field errors). */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public class ProblemSchema {
    @Schema(description = "A URI naming the kind of problem", example = "urn:tracestream:problem:invalid-events")
    public String type;
    @Schema(description = "A short summary of the kind of problem")
    public String title;
    @Schema(description = "The HTTP status", example = "400")
    public int status;
    @Schema(description = "What was wrong with this request")
    public String detail;
    // Not annotated: Payara then gives the array FieldError items; annotated, it drops them.
    public List<FieldErrorSchema> errors;

    @Schema(name = "FieldError", description = "One field that was wrong (an item of a problem's errors)")
    public static class FieldErrorSchema {
        @Schema(description = "Path into the body or the parameter name", example = "[2].agent_id")
        public String field;
        @Schema(example = "is required")
        public String message;
    }
}
