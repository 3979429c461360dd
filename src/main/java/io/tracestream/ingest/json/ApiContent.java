package io.tracestream.ingest.json;

import io.tracestream.domain.CallContent;
import io.tracestream.domain.EventType;
import io.tracestream.domain.TraceEvent;
import io.tracestream.domain.TraceEventJson;
import io.tracestream.domain.content.ContentDocument;
import io.tracestream.domain.content.MessageJson;
import jakarta.json.JsonObject;

/**
 * The JSON API's {@code input} and {@code output} in the one content shape: on a
 * {@code tool_call}, the tool's arguments and result (any JSON; JSON text is parsed); on any other
 * event (an {@code llm_call} above all), messages: a string is one message (the user's for
 * {@code input}, the assistant's for {@code output}), an array holds GenAI messages or
 * {@code {"role", "content"}} ones.
 */
final class ApiContent {

    /** The attribute that names a tool call's tool in the JSON API. */
    static final String TOOL_ATTRIBUTE = "tool";

    private ApiContent() {}

    static TraceEvent mapped(TraceEvent e) {
        if (e == null || e.content() == null || e.content().body() == null) {
            return e;
        }
        JsonObject sent = e.content().body();
        ContentDocument doc = new ContentDocument();
        if (EventType.TOOL_CALL.wireName().equals(e.eventType())) {
            Object tool = e.attributes().get(TOOL_ATTRIBUTE);
            doc.toolCall(tool instanceof String s ? s : null, MessageJson.value(sent.get(TraceEventJson.INPUT)),
                    MessageJson.value(sent.get(TraceEventJson.OUTPUT)));
        } else {
            MessageJson.messages(sent.get(TraceEventJson.INPUT), "user").forEach(doc::input);
            MessageJson.messages(sent.get(TraceEventJson.OUTPUT), "assistant").forEach(doc::output);
        }
        JsonObject body = doc.build();
        return e.withContent(body == null ? null : CallContent.of(body));
    }
}
