package io.tracestream.domain.content;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets replaced before anything is stored: the built-in set (API keys such as {@code sk-...},
 * bearer tokens, cloud and code-host tokens, private key blocks, card numbers that pass the Luhn
 * check) and the operator's own regular expressions. Each match becomes {@link #MARK}, and the
 * replacements are counted.
 *
 * <p>Why the built-in set is not one regular expression searched with {@code find()}: a regex
 * search tries its pattern at every position of the text, and over a 10 KB prompt the set cost a
 * millisecond, more than everything else ingest does with the call. Each built-in secret starts
 * with a known character ({@code s} of {@code sk-}, {@code b} of {@code Bearer}, a digit of a card
 * number...), so the text is scanned once, and a pattern is tried only where its first character
 * stands. The operator's patterns have no such start and are searched as they are.
 */
public final class Redaction {

    public static final String MARK = "[REDACTED]";

    /**
     * A built-in secret: the characters it may start with, the literal it starts with (compared
     * first, in any case for {@code Bearer}: cheaper than the pattern), and its pattern, tried
     * where both agree.
     */
    private record Secret(String starts, String prefix, boolean anyCase, Pattern pattern, boolean card) {
        Secret(String starts, String prefix, String regex) {
            this(starts, prefix, false, Pattern.compile(regex), false);
        }

        boolean startsAt(String text, int i) {
            // Compared exactly where the secret's case is fixed: cheaper than ignoring case.
            return anyCase ? text.regionMatches(true, i, prefix, 0, prefix.length()) : text.startsWith(prefix, i);
        }
    }

    private static final String DIGITS = "0123456789";
    private static final List<Secret> BUILT_IN = List.of(
            new Secret("s", "sk-", "sk-[A-Za-z0-9_-]{16,}"),                             // OpenAI, Anthropic (sk-ant-...), and alike
            new Secret("bB", "bearer", true, Pattern.compile("(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{8,}"), false), // Authorization: Bearer ...
            new Secret("A", "AKIA", "AKIA[0-9A-Z]{16}"),                                 // AWS access key id
            new Secret("A", "AIza", "AIza[0-9A-Za-z_-]{35}"),                            // Google API key
            new Secret("g", "gh", "gh[pousr]_[A-Za-z0-9]{36,}"),                         // GitHub tokens
            new Secret("g", "github_pat_", "github_pat_[A-Za-z0-9_]{20,}"),
            new Secret("x", "xox", "xox[abposr]-[A-Za-z0-9-]{10,}"),                     // Slack tokens
            new Secret("-", "-----BEGIN ", "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
            // Card numbers: 13 to 19 digits, spaced or dashed, not part of a longer number; Luhn-checked.
            new Secret(DIGITS, "", false, Pattern.compile("[0-9](?:[ -]?[0-9]){12,18}(?![0-9])"), true));

    /** Shorter texts cannot hold a built-in secret: they are not scanned (most attribute values). */
    private static final int SHORTEST_BUILT_IN = 13;

    /** For each ASCII character, the built-in secrets that may start with it. */
    private final Secret[][] startingWith;
    private final List<Pattern> own;
    private final int shortest;

    private Redaction(boolean builtIn, List<Pattern> own) {
        this.own = own;
        this.startingWith = new Secret[128][];
        if (builtIn) {
            for (int c = 0; c < 128; c++) {
                List<Secret> here = new ArrayList<>();
                for (Secret s : BUILT_IN) {
                    if (s.starts().indexOf(c) >= 0) {
                        here.add(s);
                    }
                }
                startingWith[c] = here.isEmpty() ? null : here.toArray(Secret[]::new);
            }
        }
        this.shortest = !own.isEmpty() ? 1 : builtIn ? SHORTEST_BUILT_IN : Integer.MAX_VALUE;
    }

    /** Redacts nothing. */
    public static Redaction none() {
        return new Redaction(false, List.of());
    }

    /**
     * @param builtIn  whether the built-in set applies
     * @param patterns the operator's regular expressions
     * @throws java.util.regex.PatternSyntaxException naming the pattern that does not compile
     */
    public static Redaction of(boolean builtIn, List<String> patterns) {
        List<Pattern> own = new ArrayList<>();
        for (String p : patterns) {
            if (!p.isBlank()) {
                own.add(Pattern.compile(p));
            }
        }
        return new Redaction(builtIn, List.copyOf(own));
    }

    public boolean isActive() {
        return shortest != Integer.MAX_VALUE;
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
        if (text == null || text.length() < shortest) {
            return text;
        }
        String out = builtIn(text, tally);
        for (Pattern p : own) {
            out = replace(p, out, tally);
        }
        return out;
    }

    private String builtIn(String text, Tally tally) {
        StringBuilder out = null;
        int copied = 0;
        Matcher[] matchers = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            Secret[] candidates = c < 128 ? startingWith[c] : null;
            if (candidates == null || (candidates[0].card() && i > 0 && isDigit(text.charAt(i - 1)))) {
                continue; // no secret starts here, or this digit is inside a longer number
            }
            for (Secret s : candidates) {
                if (!s.startsAt(text, i)) {
                    continue;
                }
                if (matchers == null) {
                    matchers = new Matcher[BUILT_IN.size()];
                }
                int index = BUILT_IN.indexOf(s);
                Matcher m = matchers[index] == null ? (matchers[index] = s.pattern().matcher(text)) : matchers[index];
                m.region(i, n);
                if (m.lookingAt() && (!s.card() || passesLuhn(m.group()))) {
                    if (out == null) {
                        out = new StringBuilder(n);
                    }
                    out.append(text, copied, i).append(MARK);
                    copied = m.end();
                    i = copied - 1;
                    tally.count++;
                    break;
                }
            }
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    private static String replace(Pattern p, String text, Tally tally) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start()).append(MARK);
            last = m.end();
            tally.count++;
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
