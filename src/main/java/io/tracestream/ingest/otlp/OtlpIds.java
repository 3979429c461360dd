package io.tracestream.ingest.otlp;

import com.google.protobuf.ByteString;

/**
 * OpenTelemetry trace and span ids: their lowercase hex form, and what makes one invalid (a
 * wrong length, or all zeros, which W3C Trace Context reserves for "no id").
 */
final class OtlpIds {

    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;
    /** Longest hex shown of a wrong id in a rejection, so that a hostile id cannot flood the answer. */
    private static final int MAX_SHOWN_BYTES = 32;
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private OtlpIds() {}

    /** The id in lowercase hex; at most {@value #MAX_SHOWN_BYTES} bytes of it, for messages, when {@code shortened}. */
    static String hex(ByteString id, boolean shortened) {
        int size = shortened ? Math.min(id.size(), MAX_SHOWN_BYTES) : id.size();
        char[] out = new char[size * 2];
        for (int i = 0; i < size; i++) {
            int b = id.byteAt(i) & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    static String hex(ByteString id) {
        return hex(id, false);
    }

    /** Why {@code id} is not a valid id of {@code bytes} bytes, or {@code null} when it is one. */
    static String problem(String field, ByteString id, int bytes) {
        if (id.size() != bytes) {
            return field + " must be " + (bytes * 2) + " hex characters (" + bytes + " bytes), got "
                    + (id.size() * 2) + (id.isEmpty() ? " (missing)" : "");
        }
        for (int i = 0; i < bytes; i++) {
            if (id.byteAt(i) != 0) {
                return null;
            }
        }
        return field + " must not be all zeros";
    }
}
