package io.tracestream.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Reads an OTLP/HTTP traces body, {@code application/x-protobuf} or OTLP/JSON, into an
 * {@link ExportTraceServiceRequest}, with the published protocol classes.
 *
 * <p>Takes the body as bytes: the receiver has already undone {@code Content-Encoding: gzip} and
 * enforced the body limit (its 413), so whatever goes wrong here is the encoding's fault and only
 * that: every failure is an {@link OtlpDecodingException}, nothing else escapes. Thread-safe.
 */
public final class ExportRequestDecoder {

    /**
     * Field names in lowerCamelCase and snake_case (JsonFormat accepts both), enums as integers or
     * names, 64-bit integers as strings or numbers; unknown fields are skipped, as the OTLP
     * specification asks of receivers so that newer exporters still get through.
     */
    private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

    private ExportRequestDecoder() {}

    /** A binary protobuf body; an empty body is a request with no spans, as protobuf defines it. */
    public static ExportTraceServiceRequest fromProtobuf(byte[] body) throws OtlpDecodingException {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodingException("not a protobuf ExportTraceServiceRequest: " + firstSentence(e.getMessage()));
        } catch (RuntimeException e) {
            // Not expected from parseFrom; a hostile body must not become a server error all the same.
            throw new OtlpDecodingException("not a protobuf ExportTraceServiceRequest");
        }
    }

    /** An OTLP/JSON body (UTF-8): hex ids, integer enums, 64-bit integers as strings or numbers. */
    public static ExportTraceServiceRequest fromJson(byte[] body) throws OtlpDecodingException {
        String proto3Json = OtlpJsonIds.toProto3Json(body);
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            JSON.merge(proto3Json, request);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodingException("not an OTLP/JSON ExportTraceServiceRequest: " + firstSentence(e.getMessage()));
        } catch (RuntimeException e) {
            // JsonFormat reports some wrong types (a number out of range, say) this way.
            throw new OtlpDecodingException("not an OTLP/JSON ExportTraceServiceRequest: " + e.getClass().getSimpleName());
        }
        return request.build();
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf(". ");
        return end < 0 ? message : message.substring(0, end + 1);
    }
}
