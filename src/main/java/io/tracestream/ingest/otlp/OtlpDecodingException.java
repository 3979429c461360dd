package io.tracestream.ingest.otlp;

/**
 * A request body that is not an {@code ExportTraceServiceRequest} in the encoding it claims:
 * truncated or random protobuf, malformed JSON, a field of the wrong type. Nothing of such a body
 * is stored; the receiver answers 400 with a {@code google.rpc.Status} carrying
 * {@link #getMessage()}, which is short and written for the client. Checked, so that no caller
 * can forget that bad input is an answer, not a server error.
 */
public final class OtlpDecodingException extends Exception {

    /** Longest message handed to a client: decoders' own messages can quote much of the input. */
    static final int MAX_MESSAGE_LENGTH = 300;

    public OtlpDecodingException(String message) {
        super(shorten(message), null, false, false);
    }

    private static String shorten(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
}
