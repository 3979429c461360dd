package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyParserTest {

    static final String HASH = "a".repeat(64);

    static String entry(String fields) {
        return "{\"name\":\"ci\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"ingest\"]" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    @Test
    void aFullEntryIsReadWithEveryField() throws Exception {
        List<ApiKey> keys = ApiKeyParser.parse("test", "[" + entry(
                "\"trace_prefixes\":[\"acme-\",\"b-\"],\"rate_per_s\":500,\"burst\":1000,\"max_streams\":100") + "]");
        ApiKey key = keys.get(0);
        assertEquals("ci", key.name());
        assertArrayEquals(HexFormat.of().parseHex(HASH), key.sha256());
        assertEquals(Set.of(Scope.INGEST), key.scopes());
        assertEquals(List.of("acme-", "b-"), key.tracePrefixes());
        assertEquals(new KeyLimits(500, 1000, 100), key.limits());
    }

    @Test
    void onlyNameHashAndScopesAreRequiredAndTheRestTakesTheDefaults() throws Exception {
        ApiKey key = ApiKeyParser.parse("test", "[" + entry("") + "]").get(0);
        assertEquals(List.of(), key.tracePrefixes());
        assertEquals(KeyLimits.DEFAULTS, key.limits());
        assertEquals(new KeyLimits(5, 10, 2), key.limits().or(new KeyLimits(5, 10, 2)));
    }

    @Test
    void anUpperCaseHashIsTheSameKey() throws Exception {
        String json = "[{\"name\":\"x\",\"sha256\":\"" + "AB".repeat(32) + "\",\"scopes\":[\"READ\"]}]";
        assertArrayEquals(HexFormat.of().parseHex("ab".repeat(32)), ApiKeyParser.parse("t", json).get(0).sha256());
    }

    @Test
    void eachMistakeIsNamedWithItsEntryAndNeverTheHash() {
        assertMessage("[" + entry("") + ",{\"sha256\":\"" + HASH + "\",\"scopes\":[\"read\"]}]", "entry 1", "\"name\" is required");
        assertMessage("[{\"name\":\"ci\",\"scopes\":[\"read\"]}]", "entry 0 (\"ci\")", "\"sha256\" is required");
        assertMessage("[{\"name\":\"ci\",\"sha256\":\"abc\",\"scopes\":[\"read\"]}]", "(\"ci\")", "64 hex digits");
        assertMessage("[{\"name\":\"ci\",\"sha256\":\"" + HASH + "\"}]", "(\"ci\")", "\"scopes\" is required");
        assertMessage("[{\"name\":\"ci\",\"sha256\":\"" + HASH + "\",\"scopes\":[\"write\"]}]", "(\"ci\")", "unknown scope \"write\"");
        assertMessage("[" + entry("\"trace_prefix\":[\"acme-\"]") + "]", "(\"ci\")", "unknown field \"trace_prefix\"");
        assertMessage("[" + entry("\"trace_prefixes\":[]") + "]", "(\"ci\")", "\"trace_prefixes\" is empty");
        assertMessage("[" + entry("\"rate_per_s\":-1") + "]", "(\"ci\")", "\"rate_per_s\" must be a number");
        assertMessage("[" + entry("\"max_streams\":1.5") + "]", "(\"ci\")", "\"max_streams\" must be a whole number");
        assertMessage("[" + entry("") + "," + entry("") + "]", "entry 1 (\"ci\")", "used by another entry");
        assertMessage("{\"name\":\"ci\"}", "test", "not a JSON array");
        assertMessage("[", "test", "not a JSON array");
    }

    private static void assertMessage(String json, String where, String what) {
        KeyConfigException e = assertThrows(KeyConfigException.class, () -> ApiKeyParser.parse("test", json));
        assertTrue(e.getMessage().startsWith("test"), e.getMessage());
        assertTrue(e.getMessage().contains(where), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().contains(HASH), "the hash is not repeated: " + e.getMessage());
    }
}
