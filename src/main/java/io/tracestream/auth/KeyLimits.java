package io.tracestream.auth;

/**
 * A key's own limits as configured; a value left out ({@link #UNSET}) takes the server's default.
 * Zero means no limit.
 *
 * @param ratePerSecond events per second it may send (a batch costs its events, an OTLP request its spans)
 * @param burst events it may send at once before the rate applies
 * @param maxStreams streams it may hold open at once
 */
public record KeyLimits(double ratePerSecond, double burst, int maxStreams) {

    /** Marks a limit the key's entry leaves to the defaults. */
    public static final int UNSET = -1;

    /** Every limit from the defaults. */
    public static final KeyLimits DEFAULTS = new KeyLimits(UNSET, UNSET, UNSET);

    /** This key's limits, each one it left out taken from {@code defaults}. */
    public KeyLimits or(KeyLimits defaults) {
        return new KeyLimits(ratePerSecond < 0 ? defaults.ratePerSecond : ratePerSecond,
                burst < 0 ? defaults.burst : burst,
                maxStreams < 0 ? defaults.maxStreams : maxStreams);
    }
}
