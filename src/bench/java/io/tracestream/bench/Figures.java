package io.tracestream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of every repetition, by name; medians and spreads for the report. */
final class Figures {

    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    synchronized void add(String key, double v) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
    }

    synchronized List<Double> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    synchronized boolean has(String key) {
        return values.containsKey(key);
    }

    /** The latest value (of a run done once, such as the profile pass's). */
    double last(String key) {
        List<Double> v = all(key);
        return v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
    }

    double median(String key) {
        double[] v = sorted(key);
        if (v.length == 0) {
            return Double.NaN;
        }
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    double min(String key) {
        double[] v = sorted(key);
        return v.length == 0 ? Double.NaN : v[0];
    }

    double max(String key) {
        double[] v = sorted(key);
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    /** The largest value over all repetitions (for counts that must be 0). */
    double worst(String key) {
        return max(key);
    }

    private double[] sorted(String key) {
        double[] v = all(key).stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).toArray();
        Arrays.sort(v);
        return v;
    }

    synchronized Map<String, List<Double>> snapshot() {
        return new LinkedHashMap<>(values);
    }
}
