package io.tracestream.ingest.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.tracestream.domain.JsonFactories;
import jakarta.json.stream.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings of OTLP/HTTP, told apart by {@code Content-Type}: a request is decoded and its
 * answers are written in the encoding it came in, as the OTLP specification asks. Answers are an
 * {@code ExportTraceServiceResponse} (with {@code partial_success} when spans were rejected) or,
 * for a request refused whole, a {@code google.rpc.Status}.
 */
public enum OtlpEncoding {

    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    /** {@code google.rpc.Code}: the request is wrong and retrying it will not help. */
    public static final int INVALID_ARGUMENT = 3;
    /** {@code google.rpc.Code}: the credential does not allow it. */
    public static final int PERMISSION_DENIED = 7;
    /** {@code google.rpc.Code}: no valid credential. */
    public static final int UNAUTHENTICATED = 16;
    /** {@code google.rpc.Code}: a limit was hit. */
    public static final int RESOURCE_EXHAUSTED = 8;
    /** {@code google.rpc.Code}: try again later. */
    public static final int UNAVAILABLE = 14;

    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final int STATUS_CODE_FIELD = 1;
    private static final int STATUS_MESSAGE_FIELD = 2;

    private final String mediaType;

    OtlpEncoding(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The encoding a {@code Content-Type} names (parameters such as charset ignored); empty for any other. */
    public static Optional<OtlpEncoding> of(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (OtlpEncoding e : values()) {
            if (e.mediaType.equals(type)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public ExportTraceServiceRequest decode(byte[] body) throws OtlpDecodingException {
        return this == PROTOBUF ? ExportRequestDecoder.fromProtobuf(body) : ExportRequestDecoder.fromJson(body);
    }

    /** The answer to a request whose spans were stored, except {@code rejected} of them. */
    public byte[] response(int rejected, String errorMessage) {
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
                    .setErrorMessage(errorMessage == null ? "" : errorMessage));
        }
        if (this == PROTOBUF) {
            return response.build().toByteArray();
        }
        try {
            return JSON_PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an ExportTraceServiceResponse always prints", e);
        }
    }

    /**
     * A {@code google.rpc.Status}: what a refused request gets. Written by field here because the
     * OpenTelemetry protocol classes do not carry Google's common protos, and two fields do not
     * justify another library.
     */
    public byte[] status(int code, String message) {
        if (this == PROTOBUF) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length() + 8);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            try {
                out.writeInt32(STATUS_CODE_FIELD, code);
                out.writeString(STATUS_MESSAGE_FIELD, message);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
        StringWriter json = new StringWriter();
        try (JsonGenerator g = JsonFactories.generator(json)) {
            g.writeStartObject().write("code", code).write("message", message).writeEnd();
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
