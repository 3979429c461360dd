package io.tracestream.auth;

import io.tracestream.config.TraceStreamConfig;
import io.tracestream.ops.ServiceMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Decides who may do what, and counts every refusal
 * ({@code tracestream_auth_failures_total{reason}}). Two modes, fixed by whether any key is
 * configured (and so changing when a keys file gains or loses its keys):
 * <ul>
 * <li>keys configured: every request needs a key ({@code Authorization}) or a browser session; an
 * address that presented too many wrong keys waits before any key of its is looked at again
 * ({@link WrongKeyThrottle});</li>
 * <li>none: protected mode, like Redis's: only clients from {@code tracestream.auth.open-networks}
 * are answered, with every scope; a request that came through a proxy ({@code Forwarded},
 * {@code X-Forwarded-For}) is not taken as theirs, since the proxy's own address says nothing
 * about the client's.</li>
 * </ul>
 */
@ApplicationScoped
public class AccessControl {

    /** Every {@code reason} label, so each series exists from the first scrape. */
    public static final List<String> REASONS = List.of("missing", "unknown_key", "scope", "prefix", "network",
            "rate_limited", "too_many_streams", "throttled");
    private static final Logger LOG = Logger.getLogger(AccessControl.class.getName());
    private static final String HOW_TO_SEND = "send Authorization: Bearer <key> (or HTTP Basic with the key as password)";

    @Inject
    TraceStreamConfig config;
    @Inject
    KeyRing keys;
    @Inject
    KeyLimiter limiter;
    @Inject
    BrowserSessions sessions;
    @Inject
    WrongKeyThrottle throttle;
    @Inject
    ServiceMetrics metrics;

    List<NetworkRange> openNetworks;

    /** What became of a request: the access it has, or why it has none. */
    public record Decision(Access access, Refusal refusal) {
        public boolean granted() {
            return refusal == null;
        }
    }

    @PostConstruct
    void init() {
        openNetworks = new ArrayList<>();
        for (String cidr : config.authOpenNetworks()) {
            try {
                openNetworks.add(NetworkRange.parse(cidr));
            } catch (IllegalArgumentException e) {
                LOG.severe("tracestream.auth.open-networks cannot be used, so the application does not start: " + e.getMessage());
                throw e;
            }
        }
        REASONS.forEach(r -> metrics.authFailure(r, 0));
    }

    /** Created at deployment, so a broken key configuration stops it and the mode is logged once, at start. */
    void onStartup(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object event) {
        if (keys.configured()) {
            LOG.info("Access: " + keys.names().size() + " API keys configured (" + String.join(", ", keys.names())
                    + "); every request needs a key or a browser session");
        } else {
            LOG.info("Access: protected mode, no API key configured; only clients from tracestream.auth.open-networks ("
                    + openNetworks + ") are answered, not through a proxy. See docs/security.md to configure keys.");
        }
    }

    /**
     * Who the request is and whether it may do what its route needs.
     *
     * @param scope what the request's route needs
     * @param traceId the trace its path names, or null
     */
    public Decision decide(HttpServletRequest request, Scope scope, String traceId) {
        Decision who = authenticate(request);
        if (!who.granted()) {
            return who;
        }
        Access access = who.access();
        if (!access.allows(scope)) {
            return refuse(new Refusal(Refusal.FORBIDDEN, "scope", "forbidden", "The key lacks a scope",
                    "This request needs the scope \"" + scope.configName() + "\", which "
                            + describe(access) + " does not have", 0));
        }
        if (traceId != null && !access.covers(traceId)) {
            return refuse(prefixRefusal(access));
        }
        return who;
    }

    /**
     * Signs a browser in with a key given on the sign-in page, if it may read: sets the session
     * cookie on {@code response} and answers the session's access. A refused key is counted as a
     * refused request is ({@code unknown_key}, {@code scope}, {@code throttled}), so guessing at the
     * page shows on the auth-failures alert too, and a wrong one spends the address's allowance of
     * wrong keys, as on the API: otherwise the page would be the way round the throttle.
     */
    public Decision signIn(HttpServletRequest request, HttpServletResponse response, String key) {
        // Without keys there is nothing to guess, and the open network's clients are never held.
        boolean guarded = keys.configured();
        if (guarded) {
            Optional<Refusal> wait = throttled(request);
            if (wait.isPresent()) {
                return refuse(wait.get());
            }
        }
        Optional<ApiKey> found = keys.find(key);
        if (found.isEmpty()) {
            if (guarded) {
                throttle.failed(request.getRemoteAddr(), System.nanoTime());
            }
            return refuse(unknownKey("That key is not known here"));
        }
        if (!found.get().access().allows(Scope.READ)) {
            return refuse(new Refusal(Refusal.UNAUTHORIZED, "scope", "unauthorized", "The key lacks a scope",
                    describe(found.get().access()) + " may not read traces", 0));
        }
        return new Decision(sessions.signIn(found.get(), request, response), null);
    }

    private Decision authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (!keys.configured()) {
            return openNetwork(request);
        }
        Optional<Access> access;
        if (authorization != null) {
            Optional<Refusal> wait = throttled(request);
            if (wait.isPresent()) {
                return refuse(wait.get());
            }
            access = Credentials.key(authorization).flatMap(keys::lookup);
            if (access.isEmpty()) {
                throttle.failed(request.getRemoteAddr(), System.nanoTime());
                return refuse(unknownKey("The credential presented is not a configured API key; " + HOW_TO_SEND));
            }
        } else {
            // A session lives no longer than its key as it was at sign-in: removed or changed, the key ends it.
            access = sessions.fromCookie(request);
            if (access.isEmpty()) {
                String detail = SessionCookie.token(request).isPresent()
                        ? "The dashboard session has ended (it expired, or its key was changed or removed): sign in again "
                                + "at /ui/sign-in, or " + HOW_TO_SEND
                        : "This server requires an API key: " + HOW_TO_SEND + "; the dashboard signs in at /ui/sign-in";
                return refuse(new Refusal(Refusal.UNAUTHORIZED, "missing", "unauthorized", "An API key is required", detail, 0));
            }
        }
        return new Decision(access.get(), null);
    }

    /**
     * A 429 while the request's address has presented too many wrong keys. Every key is refused
     * then, a right one too: answering a right key would still tell right from wrong at full speed.
     */
    private Optional<Refusal> throttled(HttpServletRequest request) {
        // The connection's address, never X-Forwarded-For: a header is the client's to write.
        long waitNanos = throttle.waitNanos(request.getRemoteAddr(), System.nanoTime());
        if (waitNanos == 0) {
            return Optional.empty();
        }
        long seconds = seconds(waitNanos);
        return Optional.of(new Refusal(Refusal.TOO_MANY_REQUESTS, "throttled", "too-many-wrong-keys", "Too many wrong keys",
                "Too many wrong keys came from this address: no key from it is looked at for " + seconds
                        + " s; retry after that", seconds));
    }

    private static Refusal unknownKey(String detail) {
        return new Refusal(Refusal.UNAUTHORIZED, "unknown_key", "unauthorized", "Unknown key", detail, 0);
    }

    private Decision openNetwork(HttpServletRequest request) {
        boolean proxied = request.getHeader("Forwarded") != null || request.getHeader("X-Forwarded-For") != null;
        Optional<InetAddress> client = NetworkRange.literal(request.getRemoteAddr());
        if (!proxied && client.isPresent() && openNetworks.stream().anyMatch(n -> n.contains(client.get()))) {
            return new Decision(Access.openNetwork(), null);
        }
        return refuse(new Refusal(Refusal.FORBIDDEN, "network", "forbidden", "Not an open network",
                "No API key is configured, so this server answers only clients on tracestream.auth.open-networks"
                        + (proxied ? ", and never a request that came through a proxy (Forwarded, X-Forwarded-For)" : "")
                        + ". Configure API keys (tracestream.auth.keys or tracestream.auth.keys-file; see docs/security.md) "
                        + "and send one as Authorization: Bearer <key>", 0));
    }

    /** A refusal unless every one of {@code traceIds} is within the access's prefixes. */
    public Optional<Refusal> checkTraces(Access access, Collection<String> traceIds) {
        for (String traceId : traceIds) {
            // A trace the server would mint is outside every prefix: a limited key must name its trace.
            if (traceId == null ? !access.tracePrefixes().isEmpty() : !access.covers(traceId)) {
                return Optional.of(refuse(prefixRefusal(access)).refusal());
            }
        }
        return Optional.empty();
    }

    /** Takes {@code events} from the access's rate; a 429 with Retry-After when they are not there. */
    public Optional<Refusal> charge(Access access, long events) {
        long waitNanos = limiter.charge(access, events, System.nanoTime());
        if (waitNanos == 0) {
            return Optional.empty();
        }
        long seconds = seconds(waitNanos);
        return Optional.of(refuse(new Refusal(Refusal.TOO_MANY_REQUESTS, "rate_limited", "rate-limited", "Rate limit",
                describe(access) + " may send " + fmt(limiter.limitsOf(access).ratePerSecond())
                        + " events per second; this request's " + events + " would exceed it. Nothing was stored; "
                        + "retry after " + seconds + " s", seconds)).refusal());
    }

    /** Counts a stream opening; a 429 when the access holds its maximum of streams already. */
    public Optional<Refusal> openStream(Access access) {
        if (limiter.openStream(access)) {
            return Optional.empty();
        }
        return Optional.of(refuse(new Refusal(Refusal.TOO_MANY_REQUESTS, "too_many_streams", "too-many-streams",
                "Too many streams", describe(access) + " holds its maximum of " + limiter.limitsOf(access).maxStreams()
                        + " open streams on this instance; close one first", 1)).refusal());
    }

    /** A stream counted by {@link #openStream} ended. */
    public void streamEnded(Access access) {
        limiter.streamEnded(access);
    }

    private Refusal prefixRefusal(Access access) {
        // The same words whether or not the trace exists: a refusal must not reveal that.
        return new Refusal(Refusal.FORBIDDEN, "prefix", "forbidden", "Trace outside the key's prefixes",
                describe(access) + " may only touch traces whose id starts with " + String.join(" or ", access.tracePrefixes()), 0);
    }

    private Decision refuse(Refusal refusal) {
        metrics.authFailure(refusal.reason(), 1);
        return new Decision(null, refusal);
    }

    private static String describe(Access access) {
        return "the key \"" + access.name() + "\"";
    }

    /** A wait in whole seconds, rounded up, at least 1: what Retry-After says. */
    private static long seconds(long waitNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
