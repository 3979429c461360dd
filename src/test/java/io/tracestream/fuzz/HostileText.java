package io.tracestream.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Strings made to break what carries them: SSE framing (CR, LF, NUL, a forged {@code data:} or
 * {@code event: end} line), JavaScript and JSON (U+2028, quotes, lone surrogates), HTML and
 * Thymeleaf ({@code <script>}, attribute break-outs, inlined expressions), Mermaid ({@code "]-->},
 * {@code %%{init}}, arrows, {@code #} and {@code ;}), and the odd Unicode (BOM, right-to-left
 * override, emoji, non-Latin scripts).
 */
final class HostileText {

    static final List<String> FRAGMENTS = List.of(
            "\r", "\n", "\r\n", "\n\n", "\u0000", "\u2028", "\u2029", "\u0085", "\u000B", "\u000C", "\u007F", "\t",
            "\u001B[31m", "\uFEFF", "\u202E", "\uD83D\uDE00", "\uD800", "\uDC00", "代理", "é", " ",
            "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<SCRIPT SRC=//x>", "<img src=x onerror=alert(1)>",
            "\"><svg onload=alert(1)>", "' onmouseover='alert(1)", "javascript:alert(1)", "&lt;&amp;", "&#60;script",
            "[[${7*7}]]", "[(${T(java.lang.Runtime)})]", "${x}", "{{constructor}}", "__proto__",
            "\"]-->", "%%{init: {\"securityLevel\":\"loose\"}}%%", "%%", "#59;", "#", ";", ":", "-->>", "->>", "--x", "-)",
            "participant evil", "\nNote over a1: pwned", "end", "loop x", "click a1 call alert()", "<br/>",
            "data: {\"forged\":true}\n\n", "id: 9999999999999-0\n", "event: end\n", "retry: 0\n", ": comment\n",
            "\\", "\"", "'", "`", "\\u0000", "\\n", "/", "..", "%2F", "%00", "?", "&", "=",
            "workflow_completed", "workflow_failed", "llm_call");
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private HostileText() {}

    /** One to four pieces, each a fragment or a few random characters (any UTF-16 unit, lone surrogates too). */
    static String string(Random r) {
        StringBuilder out = new StringBuilder();
        int pieces = 1 + r.nextInt(4);
        for (int i = 0; i < pieces; i++) {
            switch (r.nextInt(4)) {
                case 0, 1 -> out.append(FRAGMENTS.get(r.nextInt(FRAGMENTS.size())));
                case 2 -> {
                    int n = 1 + r.nextInt(6);
                    for (int k = 0; k < n; k++) {
                        out.append((char) r.nextInt(Character.MAX_VALUE + 1));
                    }
                }
                default -> {
                    int n = 1 + r.nextInt(12);
                    for (int k = 0; k < n; k++) {
                        out.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
                    }
                }
            }
        }
        return out.toString();
    }

    /** Mostly {@link #string}, sometimes at and over the length limits (256 and 65,536 characters). */
    static String value(Random r) {
        int pick = r.nextInt(100);
        String s = string(r);
        if (pick < 2) {
            return repeatTo(s, 256);
        }
        if (pick < 4) {
            return repeatTo(s, 257);
        }
        if (pick < 5) {
            return repeatTo(s, 65_537);
        }
        return s;
    }

    /** {@code s} repeated and cut to exactly {@code length} UTF-16 units. */
    static String repeatTo(String s, int length) {
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append(s);
        }
        return out.substring(0, length);
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
