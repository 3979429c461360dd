package io.tracestream.testing;

import io.tracestream.config.TraceStreamConfig;
import java.time.Duration;

/** Settings for unit tests that wire real beans by hand (no server, no MicroProfile Config). */
public final class UnitConfig {

    /**
     * The summaries' settings, with small history pages: a summary's catch-up then reads the store
     * many times while appends go on.
     */
    public static final TraceStreamConfig SUMMARIES = summaries(100, 100_000);

    private UnitConfig() {}

    /** The summaries' settings, with this many summaries cached and this many span events kept by them in all. */
    public static TraceStreamConfig summaries(int cacheSize, long maxKeptEvents) {
        return new TraceStreamConfig() {
            @Override public Duration stallAfter() { return Duration.ofMinutes(5); }
            @Override public int summaryCacheSize() { return cacheSize; }
            @Override public long summaryMaxKeptEvents() { return maxKeptEvents; }
            @Override public int replayPage() { return 50; }
            @Override public String modelPrices() { return ""; }
        };
    }
}
