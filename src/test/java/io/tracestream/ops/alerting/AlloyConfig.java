package io.tracestream.ops.alerting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structure of a Grafana Alloy configuration, read without Alloy (no package of it reaches our
 * build machines): its components ({@code discovery.docker "engine" { ... }}), the attributes and
 * nested blocks of each, and the references between them ({@code loki.write.loki.receiver}).
 * Enough of the syntax to check a configuration's wiring; it does not evaluate expressions.
 */
final class AlloyConfig {

    /** A component: its type ({@code loki.process}), label and body (what is between its braces). */
    record Component(String type, String label, String body) {

        /** A string attribute of the body's own level: {@code host = "..."}. */
        Optional<String> attribute(String name) {
            Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*\"([^\"]*)\"").matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** The bodies of the nested blocks named {@code name} ({@code rule}, {@code stage.json}), in order. */
        List<String> blocks(String name) {
            return AlloyConfig.blocks(body, name);
        }
    }

    /** A reference to another component's export: {@code discovery.relabel.instances.output}. */
    record Reference(String type, String label, String export) {}

    private static final Pattern COMPONENT = Pattern.compile("\\s*([a-z_][a-z0-9_]*(?:\\.[a-z_][a-z0-9_]*)+)\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern REFERENCE = Pattern.compile(
            "\\b((?:discovery|loki|prometheus|otelcol)\\.[a-z_.]+?)\\.([A-Za-z0-9_]+)\\.(targets|output|rules|receiver)\\b");

    private final String text;
    private final List<Component> components = new ArrayList<>();

    /** Reads {@code source}; throws IllegalArgumentException where it is not made of components. */
    AlloyConfig(String source) {
        this.text = withoutComments(source);
        int after = 0; // where the previous component ended
        for (int open = text.indexOf('{'); open >= 0; open = text.indexOf('{', after)) {
            int headerStart = lineStart(text, open);
            if (!text.substring(after, headerStart).isBlank()) {
                throw new IllegalArgumentException("not a component: " + text.substring(after, headerStart).strip());
            }
            Matcher m = COMPONENT.matcher(text);
            m.region(headerStart, open + 1);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a component header: " + text.substring(headerStart, open + 1));
            }
            int end = closingBrace(text, open);
            components.add(new Component(m.group(1), m.group(2), text.substring(open + 1, end)));
            after = end + 1;
        }
        if (!text.substring(after).isBlank()) {
            throw new IllegalArgumentException("not a component: " + text.substring(after).strip());
        }
    }

    List<Component> components() {
        return components;
    }

    List<Component> components(String type) {
        return components.stream().filter(c -> c.type().equals(type)).toList();
    }

    Optional<Component> component(String type, String label) {
        return components.stream().filter(c -> c.type().equals(type) && c.label().equals(label)).findFirst();
    }

    List<Reference> references() {
        List<Reference> references = new ArrayList<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            references.add(new Reference(m.group(1), m.group(2), m.group(3)));
        }
        return references;
    }

    /** The entries of a map attribute with string values: {@code values = { level = "" }}. */
    static Map<String, String> map(String body, String attribute) {
        Matcher start = Pattern.compile("(?m)^\\s*" + Pattern.quote(attribute) + "\\s*=\\s*\\{").matcher(body);
        if (!start.find()) {
            return Map.of();
        }
        String entries = body.substring(start.end(), closingBrace(body, start.end() - 1));
        Map<String, String> map = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("\"?([A-Za-z0-9_]+)\"?\\s*=\\s*\"([^\"]*)\"").matcher(entries);
        while (entry.find()) {
            map.put(entry.group(1), entry.group(2));
        }
        return map;
    }

    static List<String> blocks(String body, String name) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*\\{").matcher(body);
        while (m.find()) {
            int open = m.end() - 1;
            found.add(body.substring(open + 1, closingBrace(body, open)));
        }
        return found;
    }

    private static int closingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed { at " + open);
    }

    private static int endOfString(String s, int quote) {
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\n') {
                break;
            }
        }
        throw new IllegalArgumentException("unclosed string at " + quote);
    }

    private static int lineStart(String s, int i) {
        int nl = s.lastIndexOf('\n', i);
        return nl < 0 ? 0 : nl + 1;
    }

    /** The text with {@code //} and block comments blanked out (strings kept), so positions stay. */
    private static String withoutComments(String s) {
        StringBuilder out = new StringBuilder(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = endOfString(s, i);
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    out.setCharAt(i++, ' ');
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed comment at " + i);
                }
                for (int j = i; j < end + 2; j++) {
                    if (s.charAt(j) != '\n') {
                        out.setCharAt(j, ' ');
                    }
                }
                i = end + 1;
            }
        }
        return out.toString();
    }
}
