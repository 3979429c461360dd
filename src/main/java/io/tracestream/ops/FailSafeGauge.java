package io.tracestream.ops;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gauge's reading as a scrape gets it: the value, or NaN (Prometheus's "no value") when the
 * reading fails. Why: Payara's metrics servlet writes every metric of a scrape in one pass, and one
 * gauge that throws (a level read from Redis while Redis does not answer) turned the whole scrape
 * into a 500 error page: Prometheus then lost every metric, those that say Redis is down included.
 */
final class FailSafeGauge implements Supplier<Number> {

    private static final Logger LOG = Logger.getLogger(FailSafeGauge.class.getName());

    private final String name;
    private final Supplier<Number> reading;

    private FailSafeGauge(String name, Supplier<Number> reading) {
        this.name = name;
        this.reading = reading;
    }

    /** The gauge {@code name} reading {@code reading}, never failing a scrape. */
    static Supplier<Number> of(String name, Supplier<Number> reading) {
        return new FailSafeGauge(name, reading);
    }

    @Override
    public Number get() {
        try {
            return reading.get();
        } catch (RuntimeException e) {
            // Fine only: a store that does not answer says so once per read already (tracestream_redis_errors, its log).
            LOG.log(Level.FINE, "Gauge " + name + " could not be read; scraped as NaN", e);
            return Double.NaN;
        }
    }
}
