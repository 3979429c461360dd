package io.tracestream.auth;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each key's limits on this instance: its ingest rate (a token bucket per key, counted in events)
 * and its open streams. A key's own {@code rate_per_s}, {@code burst} and {@code max_streams} win
 * over the defaults ({@code tracestream.auth.default-*}), which also apply to the open network and
 * to browser sessions (which carry their key's name, so share its limits). Limits are per
 * instance: behind a load balancer of n instances a key may reach n times its rate.
 */
@ApplicationScoped
public class KeyLimiter {

    @Inject
    TraceStreamConfig config;
    @Inject
    KeyRing keys;

    private KeyLimits defaults;
    private final StreamQuota streams = new StreamQuota();
    /** The bucket of each key and the limits it was made for, so a rotated key's new limits apply. */
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(KeyLimits limits, TokenBucket bucket) {}

    @PostConstruct
    void init() {
        defaults = new KeyLimits(config.authDefaultRatePerS(), config.authDefaultBurst(), config.authDefaultMaxStreams());
    }

    /** For tests. */
    static KeyLimiter of(KeyRing keys, KeyLimits defaults) {
        KeyLimiter limiter = new KeyLimiter();
        limiter.keys = keys;
        limiter.defaults = defaults;
        return limiter;
    }

    /** The limits that apply to {@code access}. */
    public KeyLimits limitsOf(Access access) {
        return keys.byName(access.name()).map(ApiKey::limits).orElse(KeyLimits.DEFAULTS).or(defaults);
    }

    /**
     * Takes {@code events} from the key's bucket.
     *
     * @return 0 when allowed; else the nanoseconds to wait before they would be
     */
    public long charge(Access access, long events, long nowNanos) {
        KeyLimits limits = limitsOf(access);
        if (limits.ratePerSecond() <= 0) {
            return 0;
        }
        double burst = limits.burst() > 0 ? limits.burst() : Math.max(1, limits.ratePerSecond());
        KeyLimits effective = new KeyLimits(limits.ratePerSecond(), burst, 0);
        Bucket bucket = buckets.compute(access.name(), (name, b) -> b != null && b.limits().equals(effective) ? b
                : new Bucket(effective, new TokenBucket(effective.ratePerSecond(), burst, nowNanos)));
        return bucket.bucket().take(events, nowNanos);
    }

    /** Counts a stream of {@code access} opening; false when it holds its {@code max_streams} already. */
    public boolean openStream(Access access) {
        return streams.tryOpen(access.name(), limitsOf(access).maxStreams());
    }

    public void streamEnded(Access access) {
        streams.release(access.name());
    }
}
