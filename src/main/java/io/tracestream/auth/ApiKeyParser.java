package io.tracestream.auth;

import io.tracestream.domain.JsonFactories;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the key configuration: a JSON array of entries {@code {"name", "sha256", "scopes",
 * "trace_prefixes", "rate_per_s", "burst", "max_streams"}}, only the first three required.
 *
 * <p>Strict on purpose: an unknown field is an error rather than ignored, because a misspelt
 * {@code trace_prefixes} would otherwise give a key every trace. Error messages name the source,
 * the entry's index and name, and never the hash.
 */
public final class ApiKeyParser {

    private static final Set<String> FIELDS = Set.of("name", "sha256", "scopes", "trace_prefixes", "rate_per_s",
            "burst", "max_streams");
    private static final int SHA256_HEX = 64;

    private ApiKeyParser() {}

    /**
     * @param source where the text came from, for the messages ({@code tracestream.auth.keys})
     * @throws KeyConfigException naming the entry and what is wrong with it
     */
    public static List<ApiKey> parse(String source, String json) throws KeyConfigException {
        JsonArray entries;
        try (JsonReader reader = JsonFactories.reader(new StringReader(json))) {
            entries = reader.readArray();
        } catch (JsonException | IllegalStateException e) {
            throw new KeyConfigException(source + " is not a JSON array of key entries: " + e.getMessage());
        }
        List<ApiKey> keys = new ArrayList<>(entries.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            ApiKey key = entry(source, i, entries.get(i));
            if (!names.add(key.name())) {
                throw new KeyConfigException(source + " entry " + i + " (\"" + key.name() + "\"): the name is used by another entry too");
            }
            keys.add(key);
        }
        return keys;
    }

    private static ApiKey entry(String source, int index, JsonValue value) throws KeyConfigException {
        String where = source + " entry " + index;
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new KeyConfigException(where + ": must be an object");
        }
        JsonObject entry = value.asJsonObject();
        if (!(entry.get("name") instanceof JsonString n) || n.getString().isBlank()) {
            throw new KeyConfigException(where + ": \"name\" is required (a non-empty string)");
        }
        String name = n.getString().trim();
        where += " (\"" + name + "\")";
        for (String field : entry.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new KeyConfigException(where + ": unknown field \"" + field + "\"; allowed: " + new java.util.TreeSet<>(FIELDS));
            }
        }
        byte[] sha256 = sha256(where, entry.get("sha256"));
        Set<Scope> scopes = scopes(where, entry.get("scopes"));
        List<String> prefixes = prefixes(where, entry.get("trace_prefixes"));
        KeyLimits limits = new KeyLimits(number(where, entry, "rate_per_s"), number(where, entry, "burst"),
                (int) Math.min(Integer.MAX_VALUE, number(where, entry, "max_streams")));
        if (entry.containsKey("max_streams") && !entry.getJsonNumber("max_streams").isIntegral()) {
            throw new KeyConfigException(where + ": \"max_streams\" must be a whole number");
        }
        return new ApiKey(name, sha256, scopes, prefixes, limits);
    }

    private static byte[] sha256(String where, JsonValue value) throws KeyConfigException {
        if (!(value instanceof JsonString s) || s.getString().trim().length() != SHA256_HEX
                || !s.getString().trim().chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new KeyConfigException(where + ": \"sha256\" is required: the 64 hex digits of the key's SHA-256 "
                    + "(printf %s \"$KEY\" | sha256sum)");
        }
        return HexFormat.of().parseHex(s.getString().trim().toLowerCase(Locale.ROOT));
    }

    private static Set<Scope> scopes(String where, JsonValue value) throws KeyConfigException {
        String expected = ": \"scopes\" is required: a non-empty array of \"ingest\", \"read\", \"admin\"";
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new KeyConfigException(where + expected);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonValue v : array) {
            Scope found = null;
            if (v instanceof JsonString s) {
                for (Scope scope : Scope.values()) {
                    if (scope.configName().equals(s.getString().trim().toLowerCase(Locale.ROOT))) {
                        found = scope;
                    }
                }
            }
            if (found == null) {
                throw new KeyConfigException(where + ": unknown scope " + v + expected.substring(expected.indexOf(':') + 1));
            }
            scopes.add(found);
        }
        return scopes;
    }

    private static List<String> prefixes(String where, JsonValue value) throws KeyConfigException {
        if (value == null) {
            return List.of();
        }
        String expected = ": \"trace_prefixes\" must be an array of non-empty strings (leave it out for every trace)";
        if (!(value instanceof JsonArray array)) {
            throw new KeyConfigException(where + expected);
        }
        List<String> prefixes = new ArrayList<>();
        for (JsonValue v : array) {
            if (!(v instanceof JsonString s) || s.getString().isEmpty()) {
                throw new KeyConfigException(where + expected);
            }
            prefixes.add(s.getString());
        }
        if (prefixes.isEmpty()) {
            // An empty list would read as "every trace": the opposite of what someone writing [] means.
            throw new KeyConfigException(where + ": \"trace_prefixes\" is empty; leave it out for every trace");
        }
        return prefixes;
    }

    /** A limit: {@link KeyLimits#UNSET} when left out, else a number of at least 0. */
    private static double number(String where, JsonObject entry, String field) throws KeyConfigException {
        JsonValue value = entry.get(field);
        if (value == null) {
            return KeyLimits.UNSET;
        }
        if (!(value instanceof JsonNumber n) || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue())) {
            throw new KeyConfigException(where + ": \"" + field + "\" must be a number of at least 0 (0: no limit)");
        }
        return n.doubleValue();
    }
}
