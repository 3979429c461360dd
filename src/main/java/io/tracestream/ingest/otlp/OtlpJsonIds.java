package io.tracestream.ingest.otlp;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Turns OTLP/JSON into the proto3 JSON that protobuf's {@code JsonFormat} reads, in one streaming
 * pass: OTLP/JSON writes trace and span ids as hex strings where proto3 JSON has base64 for bytes
 * fields. Left alone, {@code JsonFormat} would not even fail on them (hex digits are base64 digits
 * too) but silently decode 32 hex characters into 24 wrong bytes.
 *
 * <p>The only members rewritten are those named like the id fields of a span and its links
 * ({@code traceId}, {@code spanId}, {@code parentSpanId}, or their snake_case field names): no
 * other message of a trace export has members of those names, and attribute keys are values of
 * {@code "key"} members, never member names. Everything else is copied as it is; the other
 * OTLP/JSON differences (enums as integers, 64-bit integers as strings) {@code JsonFormat} already
 * accepts.
 */
final class OtlpJsonIds {

    /**
     * Deepest nesting accepted. A trace export needs about 15 levels plus 3 per level of nested
     * array or kvlist attribute values; protobuf's JsonFormat refuses messages nested more than 100
     * deep anyway. The limit is checked here, before JsonFormat, because the Gson it parses with
     * (2.8) recurses once per level and would end a hostile body in a StackOverflowError.
     */
    static final int MAX_DEPTH = 200;

    private static final Set<String> ID_MEMBERS = Set.of(
            "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
    private static final JsonParserFactory PARSERS = JsonFactories.provider().createParserFactory(Map.of());
    private static final HexFormat HEX = HexFormat.of();
    private static final int UTF8_BOM_LENGTH = 3;

    private OtlpJsonIds() {}

    /**
     * The body with its hex ids as base64: proto3 JSON, ready for {@code JsonFormat}.
     *
     * <p>The body is read as strict UTF-8 (a leading byte order mark skipped), as RFC 8259 asks of
     * JSON exchanged between systems. Left to detect the encoding itself, JSON-P reads malformed
     * UTF-8 as U+FFFD: the spans would be stored with text the producer never sent, where the
     * protobuf encoding refuses the same bytes.
     */
    static String toProto3Json(byte[] body) throws OtlpDecodingException {
        StringWriter out = new StringWriter(body.length + body.length / 16 + 16);
        int start = hasUtf8ByteOrderMark(body) ? UTF8_BOM_LENGTH : 0;
        Reader text = new InputStreamReader(new ByteArrayInputStream(body, start, body.length - start),
                StandardCharsets.UTF_8.newDecoder()); // a new decoder reports malformed input, never replaces it
        try (JsonParser in = PARSERS.createParser(text);
             JsonGenerator json = JsonFactories.generator(out)) {
            copy(in, json);
        } catch (JsonParsingException e) {
            throw new OtlpDecodingException("malformed JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ": " + e.getMessage());
        } catch (JsonException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new OtlpDecodingException("the body is not UTF-8 text");
            }
            // Unreadable bytes or no JSON at all.
            throw new OtlpDecodingException("malformed JSON: " + e.getMessage());
        } catch (IllegalStateException | NoSuchElementException e) {
            // A document that ends early.
            throw new OtlpDecodingException("malformed JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // The JSON-P implementation's own limits (Parsson: a number of over 1100 characters) and
            // whatever else it throws on hostile input: still the body's fault, not the server's.
            throw new OtlpDecodingException("unreadable JSON: " + e.getMessage());
        }
        return out.toString();
    }

    private static void copy(JsonParser in, JsonGenerator json) throws OtlpDecodingException {
        int depth = 0;
        String key = null;
        // The member names of each open object (arrays hold none): protobuf's JSON reader keeps the
        // last of two equal names and drops the first without a word, so a name twice is refused.
        Deque<Set<String>> names = new ArrayDeque<>();
        while (in.hasNext()) {
            JsonParser.Event event = in.next();
            switch (event) {
                case START_OBJECT, START_ARRAY -> {
                    if (++depth > MAX_DEPTH) {
                        throw new OtlpDecodingException("JSON nested deeper than " + MAX_DEPTH + " levels");
                    }
                    if (event == JsonParser.Event.START_OBJECT) {
                        json.writeStartObject();
                        names.push(new HashSet<>());
                    } else {
                        json.writeStartArray();
                        names.push(Set.of());
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    names.pop();
                    json.writeEnd();
                }
                case KEY_NAME -> {
                    key = in.getString();
                    if (!names.peek().add(key)) {
                        JsonLocation at = in.getLocation();
                        throw new OtlpDecodingException("duplicate member at line " + at.getLineNumber() + ", column "
                                + at.getColumnNumber() + ": \"" + key + "\" appears twice in the same object");
                    }
                    json.writeKey(key);
                    continue;
                }
                case VALUE_STRING -> json.write(isId(key) ? base64(key, in.getString()) : in.getString());
                case VALUE_NUMBER, VALUE_TRUE, VALUE_FALSE -> {
                    if (isId(key)) {
                        // JsonFormat would read the number 12 as the base64 text "12": refuse it here.
                        throw new OtlpDecodingException(key + " must be a hex string");
                    }
                    if (event == JsonParser.Event.VALUE_NUMBER) {
                        json.write(in.getBigDecimal());
                    } else {
                        json.write(event == JsonParser.Event.VALUE_TRUE);
                    }
                }
                case VALUE_NULL -> json.writeNull();
                default -> throw new OtlpDecodingException("unexpected JSON token " + event);
            }
            key = null;
        }
    }

    private static boolean hasUtf8ByteOrderMark(byte[] body) {
        return body.length >= UTF8_BOM_LENGTH && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF;
    }

    private static boolean isId(String member) {
        return member != null && ID_MEMBERS.contains(member);
    }

    /** A hex id as base64; an empty string stays empty, as protobuf's default (no parent). */
    private static String base64(String member, String hex) throws OtlpDecodingException {
        if (hex.isEmpty()) {
            return hex;
        }
        if ((hex.length() & 1) != 0 || !isHex(hex)) {
            // Not an id of the wrong length (that is the span's problem, decided by the mapper)
            // but not hex at all: the body is not OTLP/JSON.
            throw new OtlpDecodingException(member + " must be a hex string, got \"" + hex + "\"");
        }
        return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
