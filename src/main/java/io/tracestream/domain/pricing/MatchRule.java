package io.tracestream.domain.pricing;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which names a model or provider of the price table answers to, read from the table's own rules:
 * {@code equals}, {@code starts_with}, {@code ends_with}, {@code contains} (all ignoring case),
 * {@code regex} (searched in the lower-case name, as the package does) and their {@code or} and
 * {@code and}. The table's maintainers write these to keep model families apart (their
 * {@code gpt-4o} rule does not take {@code gpt-4o-mini}), so Trace Stream uses them as they are
 * rather than inventing looser ones.
 */
final class MatchRule {

    static final MatchRule NEVER = new MatchRule(name -> false);

    private final Predicate<String> test;

    private MatchRule(Predicate<String> test) {
        this.test = test;
    }

    /** @param name the name in lower case */
    boolean matches(String name) {
        return test.test(name);
    }

    /**
     * Reads a rule. A rule this code cannot apply (an unknown operator, a pattern Java's regular
     * expressions reject) matches nothing and is reported to {@code problems}: a model that cannot
     * be matched stays unpriced, which is honest, and the build shows how many there are.
     */
    static MatchRule read(JsonValue json, Consumer<String> problems) {
        if (!(json instanceof JsonObject rule) || rule.size() != 1) {
            problems.accept("a match rule is not an object with one operator: " + json);
            return NEVER;
        }
        String operator = rule.keySet().iterator().next();
        JsonValue operand = rule.get(operator);
        switch (operator) {
            case "or", "and" -> {
                if (operand.getValueType() != JsonValue.ValueType.ARRAY) {
                    problems.accept("'" + operator + "' needs a list of rules: " + json);
                    return NEVER;
                }
                List<MatchRule> list = new ArrayList<>();
                operand.asJsonArray().forEach(part -> list.add(read(part, problems)));
                // Plain loops: an unknown name is tried against every rule of the table once.
                MatchRule[] parts = list.toArray(new MatchRule[0]);
                return operator.equals("or") ? new MatchRule(name -> anyMatches(parts, name))
                        : new MatchRule(name -> allMatch(parts, name));
            }
            default -> {
                if (!(operand instanceof JsonString text)) {
                    problems.accept("'" + operator + "' needs a string: " + json);
                    return NEVER;
                }
                return text(operator, text.getString(), problems);
            }
        }
    }

    private static boolean anyMatches(MatchRule[] parts, String name) {
        for (MatchRule part : parts) {
            if (part.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allMatch(MatchRule[] parts, String name) {
        for (MatchRule part : parts) {
            if (!part.matches(name)) {
                return false;
            }
        }
        return true;
    }

    private static MatchRule text(String operator, String value, Consumer<String> problems) {
        String lower = value.toLowerCase(Locale.ROOT);
        switch (operator) {
            case "equals":
                return new MatchRule(lower::equals);
            case "starts_with":
                return new MatchRule(name -> name.startsWith(lower));
            case "ends_with":
                return new MatchRule(name -> name.endsWith(lower));
            case "contains":
                return new MatchRule(name -> name.contains(lower));
            case "regex":
                try {
                    Pattern pattern = Pattern.compile(value);
                    return new MatchRule(name -> pattern.matcher(name).find());
                } catch (PatternSyntaxException e) {
                    problems.accept("regex " + value + " is not valid in Java: " + e.getDescription());
                    return NEVER;
                }
            default:
                problems.accept("unknown match operator '" + operator + "'");
                return NEVER;
        }
    }
}
