package io.tracestream.auth;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down guessing at keys. Each client address may present {@code tracestream.auth.wrong-key-burst}
 * wrong keys at once (in {@code Authorization} or on the sign-in page), then one more per
 * {@code 1 / wrong-key-rate-per-s} seconds. While it has none left, no key of its is looked at, a
 * right one neither: answering a right key then would tell right from wrong at full speed again.
 *
 * <p>The address is the connection's, never a header ({@code X-Forwarded-For} is the client's to
 * write). An IPv6 address counts by its /64, which one host or site commonly holds whole, so that
 * the 2^64 addresses of one /64 are not 2^64 allowances. At most {@link #ADDRESSES} addresses are
 * remembered, the least recently seen forgotten first: memory stays bounded however many addresses
 * guess, and a forgotten one starts again with the burst only.
 */
@ApplicationScoped
public class WrongKeyThrottle {

    /** About 1.5 MB at most (a bucket, a map entry and an address string each). */
    static final int ADDRESSES = 10_000;
    private static final int IPV6_PREFIX_BYTES = 8;

    @Inject
    TraceStreamConfig config;

    private double burst;
    private double ratePerSecond;
    /** Each address's allowance of wrong keys, least recently seen first. */
    private final Map<String, TokenBucket> allowances = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > ADDRESSES;
        }
    };

    @PostConstruct
    void init() {
        configure(config.authWrongKeyBurst(), config.authWrongKeyRatePerS());
    }

    /** Made at deployment, so a setting it cannot use stops the start rather than the first wrong key. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // Nothing to do: delivering the event created the bean, and init() ran.
    }

    /** For tests. */
    static WrongKeyThrottle of(int burst, double ratePerSecond) {
        WrongKeyThrottle throttle = new WrongKeyThrottle();
        throttle.configure(burst, ratePerSecond);
        return throttle;
    }

    private void configure(int burst, double ratePerSecond) {
        if (burst > 0 && !(ratePerSecond > 0)) {
            // Zero would shut an address out for good after its burst: one typo-prone client would lock out its proxy.
            throw new IllegalStateException("tracestream.auth.wrong-key-rate-per-s must be above 0 (got " + ratePerSecond
                    + "); set tracestream.auth.wrong-key-burst=0 to turn the throttle off");
        }
        this.burst = burst;
        this.ratePerSecond = ratePerSecond;
    }

    /** 0 when {@code address} may present a key now; else the nanoseconds until it may. */
    public long waitNanos(String address, long nowNanos) {
        if (burst <= 0) {
            return 0;
        }
        TokenBucket allowance;
        synchronized (allowances) {
            allowance = allowances.get(client(address));
        }
        return allowance == null ? 0 : allowance.waitFor(1, nowNanos);
    }

    /** {@code address} presented a wrong key: one fewer it may present. */
    public void failed(String address, long nowNanos) {
        if (burst <= 0) {
            return;
        }
        TokenBucket allowance;
        synchronized (allowances) {
            allowance = allowances.computeIfAbsent(client(address), a -> new TokenBucket(ratePerSecond, burst, nowNanos));
        }
        allowance.take(1, nowNanos);
    }

    /** The addresses remembered now, for tests. */
    int remembered() {
        synchronized (allowances) {
            return allowances.size();
        }
    }

    /** Who an address counts as: itself, or for IPv6 its /64. */
    static String client(String address) {
        Optional<InetAddress> parsed = address == null ? Optional.empty() : NetworkRange.literal(address);
        if (parsed.isPresent() && parsed.get() instanceof Inet6Address v6) {
            return HexFormat.of().formatHex(Arrays.copyOf(v6.getAddress(), IPV6_PREFIX_BYTES)) + "/64";
        }
        return parsed.map(InetAddress::getHostAddress).orElse(String.valueOf(address));
    }
}
