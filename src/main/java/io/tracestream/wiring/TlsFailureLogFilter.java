package io.tracestream.wiring;

import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Redisson's Netty error handler logs a failed TLS handshake at SEVERE with a 60-line stack trace,
 * once per connection attempt: several a second while Redis's certificate is refused, thousands of
 * lines a minute that bury everything else. The fan-out reader already says, once, that the
 * handshake failed and why; this lets one such record through per {@link #EVERY}, for its stack
 * trace, and every other record unchanged.
 */
final class TlsFailureLogFilter implements Filter {

    /** Redisson's logger of exceptions on a channel (through SLF4J to java.util.logging). */
    static final String REDISSON_CHANNEL_ERRORS = "org.redisson.client.handler.ErrorsLoggingHandler";
    static final Duration EVERY = Duration.ofMinutes(1);

    /** Held here: java.util.logging keeps loggers weakly, and a collected logger forgets its filter. */
    private static final Logger CHANNEL_ERRORS = Logger.getLogger(REDISSON_CHANNEL_ERRORS);

    private final long intervalNanos = EVERY.toNanos();
    private long nextAt;
    private boolean passedOne;

    /** Puts the filter on Redisson's channel error logger, once per class loader. */
    static synchronized void install() {
        if (!(CHANNEL_ERRORS.getFilter() instanceof TlsFailureLogFilter)) {
            CHANNEL_ERRORS.setFilter(new TlsFailureLogFilter());
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!isHandshakeFailure(record.getThrown())) {
            return true;
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (passedOne && now - nextAt < 0) {
                return false;
            }
            passedOne = true;
            nextAt = now + intervalNanos;
            return true;
        }
    }

    static boolean isHandshakeFailure(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
