package io.tracestream.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The content of one call in the OpenAPI document. Documentation only: the document is built by
 * {@link io.tracestream.domain.content.ContentDocument}.
 */
@Schema(name = "CallContent", description = "What one model or tool call said, in the OpenTelemetry GenAI message shape; "
        + "members present when known. A message is {\"role\", \"parts\": [...], \"finish_reason\"}; a part is "
        + "{\"type\": \"text\", \"content\"}, {\"type\": \"tool_call\", \"id\", \"name\", \"arguments\"}, "
        + "{\"type\": \"tool_call_response\", \"id\", \"response\"}, or an image or file as a placeholder "
        + "{\"type\": \"blob\"|\"file\"|\"uri\", \"modality\", \"mime_type\", \"placeholder\"}.")
public class CallContentSchema {
    @Schema(name = "system_instructions", description = "The system prompt, as parts")
    public List<Map<String, Object>> systemInstructions;
    @Schema(description = "The messages the model was given, oldest first")
    public List<Map<String, Object>> input;
    @Schema(description = "The model's answer: its messages, with finish_reason")
    public List<Map<String, Object>> output;
    @Schema(name = "tool_definitions", description = "The tools offered to the model, as the producer described them")
    public List<Object> toolDefinitions;
    @Schema(name = "tool_call", type = SchemaType.OBJECT, description = "A tool call's own content: name, arguments, result")
    public Map<String, Object> toolCall;
    @Schema(type = SchemaType.OBJECT, description = "Present when the content was cut to tracestream.content.max-bytes: "
            + "original_bytes, limit_bytes, texts_cut (each cut text ends with a marker saying how long it was), "
            + "messages_dropped (oldest input messages left out, the first kept)")
    public Map<String, Object> truncated;
}
