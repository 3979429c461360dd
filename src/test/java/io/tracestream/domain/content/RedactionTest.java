package io.tracestream.domain.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class RedactionTest {

    private final Redaction builtIn = Redaction.of(true, List.of());

    private String redact(Redaction r, String text, int expectedCount) {
        Redaction.Tally tally = new Redaction.Tally();
        String out = r.apply(text, tally);
        assertEquals(expectedCount, tally.count(), out);
        return out;
    }

    @Test
    void builtInSetReplacesApiKeysBearerTokensAndCloudTokens() {
        String text = "use sk-proj-abcdefghijklmnop1234 and Authorization: Bearer eyJhbGciOi.J9xyz "
                + "or AKIAABCDEFGHIJKLMNOP or ghp_" + "a".repeat(36) + " and xoxb-1234567890-abc";
        String out = redact(builtIn, text, 5);
        assertFalse(out.contains("sk-proj"), out);
        assertFalse(out.contains("eyJhbGciOi"), out);
        assertFalse(out.contains("AKIA"), out);
        assertFalse(out.contains("ghp_"), out);
        assertFalse(out.contains("xoxb"), out);
        assertTrue(out.startsWith("use [REDACTED] and Authorization: [REDACTED]"), out);
    }

    @Test
    void aBearerTokenIsFoundWhateverItsCaseAndALookalikeWordIsNot() {
        assertEquals("[REDACTED] and [REDACTED]", redact(builtIn, "BEARER abcdefgh123 and bearer zyxwvuts987", 2));
        assertEquals("the bearer of news; skill; sk-short", redact(builtIn, "the bearer of news; skill; sk-short", 0));
    }

    @Test
    void aSecretAtTheVeryEndOrAfterNonAsciiTextIsFound() {
        assertEquals("clé: [REDACTED]", redact(builtIn, "clé: sk-abcdefghijklmnopqrst", 1));
        assertEquals("4111 1111 1111 1111 is [REDACTED]", redact(builtIn, "4111 1111 1111 1111 is 4111111111111111", 2)
                .replaceFirst("\\[REDACTED\\]", "4111 1111 1111 1111"));
    }

    @Test
    void cardNumbersAreRedactedOnlyWhenTheyPassTheLuhnCheck() {
        assertEquals("card [REDACTED] ok", redact(builtIn, "card 4111 1111 1111 1111 ok", 1));
        assertEquals("card [REDACTED]", redact(builtIn, "card 5500-0000-0000-0004", 1));
        // A 16-digit id or a timestamp in nanoseconds is no card: kept.
        assertEquals("span 1733600000000000123 ok", redact(builtIn, "span 1733600000000000123 ok", 0));
        assertEquals("order 4111111111111112", redact(builtIn, "order 4111111111111112", 0));
    }

    @Test
    void privateKeyBlocksAreRedactedWhole() {
        String pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\nend";
        assertEquals("key:\n[REDACTED]\nend", redact(builtIn, pem, 1));
    }

    @Test
    void operatorPatternsApplyBesideTheBuiltInSet() {
        Redaction r = Redaction.of(true, List.of("ACME-[0-9]{4}", "secret\\,word"));
        assertEquals("[REDACTED] and [REDACTED] and [REDACTED]", redact(r, "ACME-1234 and secret,word and sk-abcdefghijklmnopqrst", 3));
    }

    @Test
    void operatorPatternsAloneWhenTheBuiltInSetIsOff() {
        Redaction r = Redaction.of(false, List.of("x{2}"));
        assertEquals("a[REDACTED]b sk-abcdefghijklmnopqrst", redact(r, "axxb sk-abcdefghijklmnopqrst", 1));
    }

    @Test
    void aTextWithoutSecretsIsAnsweredAsTheSameInstance() {
        String text = "What is the weather in Paris tomorrow?";
        assertSame(text, builtIn.apply(text, new Redaction.Tally()));
        assertFalse(Redaction.none().isActive());
        assertSame(text, Redaction.none().apply(text, new Redaction.Tally()));
    }

    @Test
    void aPatternThatDoesNotCompileIsNamed() {
        PatternSyntaxException e = assertThrows(PatternSyntaxException.class, () -> Redaction.of(true, List.of("a(b")));
        assertTrue(e.getPattern().equals("a(b"), e.getPattern());
    }
}
