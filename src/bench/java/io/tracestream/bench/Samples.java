package io.tracestream.bench;

import java.util.Arrays;

/** A growable array of latency samples (nanoseconds) and its percentiles. Not thread-safe. */
final class Samples {

    private long[] values = new long[1 << 16];
    private int size;
    private boolean sorted;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
        sorted = false;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** The q-quantile (0..1), nearest rank; NaN when empty. In milliseconds. */
    double ms(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * size) - 1;
        rank = Math.max(0, Math.min(size - 1, rank));
        return values[rank] / 1e6;
    }

    double maxMs() {
        return ms(1.0);
    }

    /** p50/p90/p99/p999/max, in ms. */
    double[] summary() {
        return new double[] {ms(0.5), ms(0.9), ms(0.99), ms(0.999), maxMs()};
    }
}
