package io.tracestream.domain.pricing;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a JavaScript data literal, as a bundler emits it, into a JSON-P value. Why: the npm package
 * {@code @pydantic/genai-prices} ships its price data only inside its minified JavaScript, and the
 * build must not need Node to take it out.
 *
 * <p>Data is: objects with bare, quoted or numeric keys, arrays, strings in any of the three quotes
 * (a template without {@code ${...}}), numbers such as {@code .8}, {@code 2e5} or {@code -1},
 * {@code !0}/{@code !1} (what minifiers make of {@code true}/{@code false}), {@code true},
 * {@code false}, {@code null}, and {@code void 0}/{@code undefined} (read as {@code null}).
 * Anything else (a variable, a call, a function, a computed key) is not data and is rejected with
 * its offset, so a package whose layout changes fails the build instead of shipping half a table.
 */
final class JsDataLiteral {

    /** A value and the offset just after it. */
    record Parsed(JsonValue value, int end) {}

    private final String text;
    private int pos;

    private JsDataLiteral(String text, int start) {
        this.text = text;
        this.pos = start;
    }

    /**
     * Reads the literal that starts at {@code start} (after any blanks).
     *
     * @throws IllegalArgumentException naming the offset where the text stops being data
     */
    static Parsed readAt(String text, int start) {
        JsDataLiteral reader = new JsDataLiteral(text, start);
        JsonValue value = reader.value();
        return new Parsed(value, reader.pos);
    }

    private JsonValue value() {
        skipBlanks();
        if (pos >= text.length()) {
            throw error("the text ends where a value should start");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"', '\'', '`' -> JsonFactories.provider().createValue(string());
            case '!' -> negation();
            default -> c == '.' || c == '-' || c == '+' || isDigit(c) ? number() : keyword();
        };
    }

    private JsonValue object() {
        pos++; // {
        // A later duplicate key wins, as in JavaScript; JSON-P builders would keep both orders apart.
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipBlanks();
        while (!consume('}')) {
            String key = key();
            skipBlanks();
            expect(':');
            members.put(key, value());
            skipBlanks();
            if (!consume(',')) {
                skipBlanks();
                expect('}');
                break;
            }
            skipBlanks();
        }
        JsonObjectBuilder object = JsonFactories.object();
        members.forEach(object::add);
        return object.build();
    }

    private String key() {
        skipBlanks();
        if (pos >= text.length()) {
            throw error("the text ends inside an object");
        }
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            return string();
        }
        if (isDigit(c) || c == '.') {
            return number().toString();
        }
        if (isIdentifierStart(c)) {
            return identifier();
        }
        throw error("'" + c + "' cannot start an object key");
    }

    private JsonValue array() {
        pos++; // [
        JsonArrayBuilder array = JsonFactories.array();
        skipBlanks();
        while (!consume(']')) {
            array.add(value());
            skipBlanks();
            if (!consume(',')) {
                skipBlanks();
                expect(']');
                break;
            }
            skipBlanks();
        }
        return array.build();
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("the text ends inside a string");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (quote == '`' && c == '$' && pos < text.length() && text.charAt(pos) == '{') {
                throw error("a template with ${...} is code, not data");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("the text ends inside a string");
            }
            char escaped = text.charAt(pos++);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000B');
                case '0' -> out.append('\0');
                case 'x' -> out.append((char) hex(2));
                case 'u' -> out.appendCodePoint(unicodeEscape());
                case '\r' -> consume('\n'); // a line continuation adds nothing
                case '\n', '\u2028', '\u2029' -> { }
                default -> out.append(escaped);
            }
        }
    }

    private int unicodeEscape() {
        if (!consume('{')) {
            return hex(4);
        }
        int end = text.indexOf('}', pos);
        if (end < 0) {
            throw error("unclosed \\u{...} escape");
        }
        int codePoint = hex(end - pos);
        pos = end + 1;
        return codePoint;
    }

    private int hex(int digits) {
        if (digits < 1 || pos + digits > text.length()) {
            throw error("bad hexadecimal escape");
        }
        try {
            int value = Integer.parseInt(text, pos, pos + digits, 16);
            pos += digits;
            return value;
        } catch (NumberFormatException e) {
            throw error("bad hexadecimal escape");
        }
    }

    private JsonValue number() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        String literal = text.substring(start, pos);
        try {
            // Exact decimals, so 0.055 stays 0.055; plain notation, so 2e5 reads back as 200000.
            return JsonFactories.provider().createValue(new BigDecimal(new BigDecimal(literal).toPlainString()));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("'" + literal + "' is not a number");
        }
    }

    private JsonValue negation() {
        if (text.startsWith("!0", pos)) {
            pos += 2;
            return JsonValue.TRUE;
        }
        if (text.startsWith("!1", pos)) {
            pos += 2;
            return JsonValue.FALSE;
        }
        throw error("only !0 and !1 are data");
    }

    private JsonValue keyword() {
        int start = pos;
        if (!isIdentifierStart(text.charAt(pos))) {
            throw error("'" + text.charAt(pos) + "' cannot start a value");
        }
        String word = identifier();
        switch (word) {
            case "true":
                return JsonValue.TRUE;
            case "false":
                return JsonValue.FALSE;
            case "null", "undefined":
                return JsonValue.NULL;
            case "void":
                skipBlanks();
                if (consume('0')) {
                    return JsonValue.NULL;
                }
                break;
            default:
                break;
        }
        pos = start;
        throw error("'" + word + "' is code, not data");
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void skipBlanks() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == '\u00A0' || c == '\uFEFF') {
                pos++;
            } else if (text.startsWith("//", pos)) {
                int end = text.indexOf('\n', pos);
                pos = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("unclosed comment");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw error(pos >= text.length() ? "the text ends where '" + c + "' should be"
                    : "'" + c + "' expected, not '" + text.charAt(pos) + "'");
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("not a JavaScript data literal at offset " + pos + ": " + problem);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
