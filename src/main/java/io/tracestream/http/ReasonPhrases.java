package io.tracestream.http;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The reason phrases of the status codes this application answers that Grizzly (Payara's HTTP
 * layer) does not know: without them a status line reads {@code HTTP/1.1 429 CUSTOM}.
 *
 * <p>Why here: the Servlet API sets only the code (its way to set a phrase is gone since Servlet 6),
 * Jersey hands Payara the code alone too, and Grizzly takes the phrase from its own table of
 * statuses, which lacks 429 and answers any code missing from it with {@code CUSTOM}. So the phrase
 * is added to that table, once, when the application starts: Payara offers no API for it, so it is
 * reached by reflection ({@code org.glassfish.grizzly.http.util.HttpStatus.register}); if that ever
 * changes, answers keep their codes and a warning says so.
 */
final class ReasonPhrases {

    private static final Logger LOG = Logger.getLogger(ReasonPhrases.class.getName());
    static final String GRIZZLY_STATUSES = "org.glassfish.grizzly.http.util.HttpStatus";
    /** Codes this application answers with that Grizzly 4 has no phrase for. */
    static final Map<Integer, String> MISSING = Map.of(429, "Too Many Requests");

    private ReasonPhrases() {}

    /**
     * Adds the missing phrases to Grizzly's table, found through {@code loader} (the container's
     * class loader, which sees Grizzly; the application's may not).
     */
    static void register(ClassLoader loader) {
        try {
            Class<?> statuses = Class.forName(GRIZZLY_STATUSES, true, loader);
            Method register = statuses.getDeclaredMethod("register", int.class, String.class);
            Method known = statuses.getMethod("getHttpStatus", int.class);
            Method phrase = statuses.getMethod("getReasonPhrase");
            register.setAccessible(true);
            for (Map.Entry<Integer, String> missing : MISSING.entrySet()) {
                if (!missing.getValue().equals(phrase.invoke(known.invoke(null, missing.getKey())))) {
                    register.invoke(null, missing.getKey(), missing.getValue());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warning("Status lines of " + MISSING.keySet() + " will read CUSTOM instead of their reason phrase: " + e);
        }
    }
}
