package io.tracestream.domain.content;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A tool call's arguments as a short fingerprint: the SHA-256 of the arguments written canonically
 * ({@link CanonicalJson}: JSON text parsed, members sorted), its first 16 hex digits. Why: the run
 * guards tell a loop (the same tool with the same arguments) from a tool's ordinary use, and they
 * read stored events, which carry previews of at most a few hundred characters; two calls writing
 * long files that differ only at their end must not look the same. Taken after redaction, and
 * never with capture {@code none} (nothing derived from what was said is kept then).
 */
public final class ArgumentsFingerprint {

    /** 64 bits: enough to tell apart the calls of one run. */
    private static final int HEX_DIGITS = 16;

    private ArgumentsFingerprint() {}

    /** The fingerprint of a GenAI-shaped content's {@code tool_call.arguments}; {@code null} when it has none. */
    public static String of(JsonObject body) {
        if (body == null || !(body.get(ContentDocument.TOOL_CALL) instanceof JsonObject call) || !call.containsKey("arguments")) {
            return null;
        }
        return ofArguments(call.get("arguments"));
    }

    /** The fingerprint of arguments as a producer gave them: a JSON value, or JSON as text. */
    public static String ofArguments(JsonValue arguments) {
        return hash(canonical(arguments));
    }

    /** The arguments written canonically; JSON text is read as JSON first, other text kept as it is, trimmed. */
    public static String canonical(JsonValue arguments) {
        JsonValue value = arguments instanceof JsonString text ? parsed(text.getString()) : arguments;
        return value instanceof JsonString text ? text.getString().strip() : CanonicalJson.of(value);
    }

    /** JSON text as JSON (so its members' order does not matter), anything else as a string. */
    private static JsonValue parsed(String text) {
        try {
            return ContentDocument.jsonOrText(text);
        } catch (RuntimeException tooDeepOrOdd) {
            // a parser's own limits (nesting) end in exceptions of no documented type: the text it is
            return JsonFactories.provider().createValue(text);
        }
    }

    /** The first hex digits of the text's SHA-256. */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
