package io.tracestream.auth;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The dashboard's signed session cookie, which stands in for a key because a browser's
 * {@code EventSource} cannot send an {@code Authorization} header (and a key in a URL would end
 * up in logs). Signing in with a key that may read gives a cookie carrying that key's name,
 * scopes and prefixes for {@code tracestream.auth.session-ttl}; see {@link SessionToken}. The
 * session holds only while the key of its name is configured with the hash, scopes and prefixes it
 * had at sign-in: removed, re-hashed, narrowed or widened, the key takes its sessions with it, since
 * otherwise a cookie would keep for hours what the key itself lost at once.
 */
@ApplicationScoped
public class BrowserSessions {

    private static final Logger LOG = Logger.getLogger(BrowserSessions.class.getName());
    /** HMAC-SHA256 wants a key as long as its output; a shorter configured secret is refused at start. */
    static final int MIN_SECRET_CHARS = 32;
    /** The sign-in page, relative to the context root. */
    public static final String SIGN_IN_PATH = "/ui/sign-in";
    /** Where the sign-out button posts. */
    public static final String SIGN_OUT_PATH = "/ui/sign-out";

    @Inject
    TraceStreamConfig config;
    @Inject
    KeyRing keys;

    private SessionToken tokens;

    @PostConstruct
    void init() {
        byte[] secret;
        Optional<String> configured = config.authSessionSecret();
        if (configured.isPresent()) {
            if (configured.get().length() < MIN_SECRET_CHARS) {
                throw new IllegalStateException("tracestream.auth.session-secret is shorter than " + MIN_SECRET_CHARS
                        + " characters; make one with `openssl rand -hex 32`");
            }
            secret = configured.get().getBytes(StandardCharsets.UTF_8);
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            if (keysConfigured()) {
                LOG.warning("No tracestream.auth.session-secret set: browser sessions are signed with a random secret of "
                        + "this process, so they end when it restarts and are refused by other instances behind the "
                        + "same load balancer. Set the same secret (openssl rand -hex 32) on every instance.");
            }
        }
        tokens = new SessionToken(secret, Clock.systemUTC());
    }

    /** Made at deployment, so the warning about the secret comes at start, not at the first sign-in. */
    void onStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // Nothing to do: delivering the event created the bean, and init() ran.
    }

    private boolean keysConfigured() {
        return config.authKeys().isPresent() || config.authKeysFile().isPresent();
    }

    /**
     * The access a valid, unexpired session cookie on {@code request} carries while its key is
     * configured as it was at sign-in; empty without one. Looked at on every request, so a change to
     * the key ends its sessions as soon as the key ring sees it.
     */
    public Optional<Access> fromCookie(HttpServletRequest request) {
        return SessionCookie.token(request).flatMap(tokens::verify).filter(this::keyUnchanged)
                .map(SessionToken.Session::access);
    }

    private boolean keyUnchanged(SessionToken.Session session) {
        return keys.byName(session.access().name()).map(ApiKey::fingerprint)
                .filter(session.keyFingerprint()::equals).isPresent();
    }

    /**
     * Starts a browser session for {@code key} (the caller has checked it may read): sets the
     * cookie, bound to the key's fingerprint, and answers the session's access, which expires after
     * the session lifetime.
     */
    public Access signIn(ApiKey key, HttpServletRequest request, HttpServletResponse response) {
        // Whole seconds, as the token and the cookie's Max-Age count them, so both end together.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Access session = new Access(key.name(), key.scopes(), key.tracePrefixes(), now.plus(config.authSessionTtl()));
        Duration maxAge = Duration.between(now, session.expiresAt());
        response.addHeader("Set-Cookie", SessionCookie.set(tokens.issue(session, key.fingerprint()), maxAge,
                SessionCookie.secure(request)));
        return session;
    }

    /** Drops the session cookie from the browser. */
    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader("Set-Cookie", SessionCookie.clear(SessionCookie.secure(request)));
    }

    /**
     * Where to send a browser whose page request has no valid session: the sign-in page, which
     * comes back to the page asked for (path and query) once signed in.
     */
    public String signInRedirect(HttpServletRequest request) {
        String back = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        return signInThen(request, back);
    }

    /** The sign-in page, then the dashboard's list: after a form was posted, which signing in does not post again. */
    public String signInThenList(HttpServletRequest request) {
        return signInThen(request, request.getContextPath() + "/");
    }

    private static String signInThen(HttpServletRequest request, String back) {
        return request.getContextPath() + SIGN_IN_PATH + "?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
    }
}
