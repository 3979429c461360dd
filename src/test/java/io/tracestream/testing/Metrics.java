package io.tracestream.testing;

import java.net.HttpURLConnection;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * One scrape of {@code /metrics?scope=application}, parsed as Prometheus reads the text format:
 * every sample with its name, labels and value (NaN included), so tests can compare values
 * before and after and look at every label value.
 */
public final class Metrics {

    /** The media type of the Prometheus text exposition. */
    private static final String PROMETHEUS_TEXT = "text/plain";
    /** How much of an unexpected answer a failure shows: enough to recognise an error page. */
    private static final int BODY_SHOWN = 500;

    /** One line of the exposition: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;
    private final String text;

    private Metrics(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    /**
     * Scrapes the application's metrics of a deployed server; fails saying what the server answered
     * when that is not the Prometheus text (an error page once made the parser fail on "html").
     */
    public static Metrics scrape(Api api) {
        return parse(requireText(api.get(api.serverUri("metrics?scope=application"), Map.of())));
    }

    /** The body of a scrape's answer, when it is a 200 in the Prometheus text format. */
    static String requireText(HttpResponse<String> answer) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (answer.statusCode() != HttpURLConnection.HTTP_OK || !type.startsWith(PROMETHEUS_TEXT)) {
            String body = answer.body();
            throw new AssertionError("/metrics answered " + answer.statusCode() + " (" + type + ") instead of "
                    + PROMETHEUS_TEXT + "; the body begins: "
                    + (body.length() > BODY_SHOWN ? body.substring(0, BODY_SHOWN) + "..." : body));
        }
        return answer.body();
    }

    public static Metrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            samples.add(parseLine(line));
        }
        return new Metrics(text, List.copyOf(samples));
    }

    public List<Sample> samples() {
        return samples;
    }

    public String text() {
        return text;
    }

    /** The samples of {@code name} that carry at least {@code labels} (other labels, such as mp_scope, may differ). */
    public List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> labels.entrySet().stream().allMatch(l -> l.getValue().equals(s.labels().get(l.getKey()))))
                .toList();
    }

    /** The one sample of {@code name} with {@code labels}; empty when there is none, an error when several match. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() > 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
    }

    public OptionalDouble value(String name) {
        return value(name, Map.of());
    }

    /** A counter's value, 0 when it was not created yet (a labelled counter appears with its first use). */
    public double counter(String name, Map<String, String> labels) {
        return value(name, labels).orElse(0);
    }

    public double counter(String name) {
        return counter(name, Map.of());
    }

    /** The value that must be there: fails with the scrape when it is not. */
    public double require(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + labels + " in:\n" + text));
    }

    /** Every sample name, for a readable failure message. */
    public String names() {
        return samples.stream().map(Sample::name).distinct().sorted().collect(Collectors.joining(", "));
    }

    private static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 1;
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] tail = line.substring(rest).strip().split("\\s+");
        return new Sample(name, Map.copyOf(labels), parseValue(tail[0]));
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}
