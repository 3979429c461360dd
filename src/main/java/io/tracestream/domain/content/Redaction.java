package io.tracestream.domain.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets replaced before anything is stored: the built-in set (API keys such as {@code sk-...},
 * bearer tokens, cloud and code-host tokens, private key blocks, card numbers that pass the Luhn
 * check) and the operator's own regular expressions, all in one alternation so a text is scanned
 * once. Each match becomes {@link #MARK}, and the replacements are counted.
 */
public final class Redaction {

    public static final String MARK = "[REDACTED]";

    /** The built-in patterns, each a whole secret (no groups). */
    static final List<String> BUILT_IN = List.of(
            "sk-[A-Za-z0-9_-]{16,}",                                  // OpenAI, Anthropic (sk-ant-...), and alike
            "(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{8,}",                  // Authorization: Bearer ...
            "AKIA[0-9A-Z]{16}",                                       // AWS access key id
            "gh[pousr]_[A-Za-z0-9]{36,}",                             // GitHub tokens
            "github_pat_[A-Za-z0-9_]{20,}",
            "AIza[0-9A-Za-z_-]{35}",                                  // Google API key
            "xox[abposr]-[A-Za-z0-9-]{10,}",                          // Slack tokens
            "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----");
    /** Card numbers: 13 to 19 digits, spaced or dashed; a match counts only if it passes the Luhn check. */
    private static final String CARD = "(?<card>(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9]))";

    /** Shorter texts cannot hold a built-in secret: they are not scanned (most attribute values). */
    private static final int SHORTEST_BUILT_IN = 13;

    private final Pattern pattern;
    private final int shortest;
    private final boolean hasCard;

    private Redaction(Pattern pattern, int shortest) {
        this.pattern = pattern;
        this.shortest = shortest;
        this.hasCard = pattern != null && pattern.pattern().contains("(?<card>");
    }

    /** Redacts nothing. */
    public static Redaction none() {
        return new Redaction(null, Integer.MAX_VALUE);
    }

    /**
     * @param builtIn  whether the built-in set applies
     * @param patterns the operator's regular expressions
     * @throws java.util.regex.PatternSyntaxException naming the pattern that does not compile
     */
    public static Redaction of(boolean builtIn, List<String> patterns) {
        List<String> all = new ArrayList<>();
        if (builtIn) {
            all.addAll(BUILT_IN);
            all.add(CARD);
        }
        for (String p : patterns) {
            if (!p.isBlank()) {
                Pattern.compile(p); // fails here, naming the operator's pattern alone
                all.add(p);
            }
        }
        if (all.isEmpty()) {
            return none();
        }
        StringBuilder alternation = new StringBuilder();
        for (String p : all) {
            alternation.append(alternation.length() == 0 ? "" : "|").append("(?:").append(p).append(')');
        }
        return new Redaction(Pattern.compile(alternation.toString()), patterns.stream().anyMatch(p -> !p.isBlank()) ? 1 : SHORTEST_BUILT_IN);
    }

    public boolean isActive() {
        return pattern != null;
    }

    /** Counts what one event's texts had redacted. */
    public static final class Tally {
        private int count;

        public int count() {
            return count;
        }

        public void add(int more) {
            count += more;
        }
    }

    /** {@code text} with every secret replaced by {@link #MARK}; {@code tally} counts them. */
    public String apply(String text, Tally tally) {
        if (pattern == null || text == null || text.length() < shortest) {
            return text;
        }
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            String card = hasCard ? m.group("card") : null;
            if (card != null && !passesLuhn(card)) {
                continue; // a long number that is no card: an id, a timestamp
            }
            out.append(text, last, m.start()).append(MARK);
            last = m.end();
            tally.count++;
        } while (m.find());
        return last == 0 ? text : out.append(text, last, text.length()).toString();
    }

    static boolean passesLuhn(String s) {
        int sum = 0;
        boolean twice = false;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
