package io.tracestream.ops;

import io.tracestream.config.TraceStreamConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Writes Trace Stream's own log lines as JSON to standard output ({@code tracestream.log.format=json},
 * the default, for Loki or Elasticsearch), and formats the server's records the same way from then
 * on, so that a log pipeline parses every line; or leaves all lines to the server's plain text
 * format ({@code plain}, for development). A console format other than Payara's own (a logging
 * properties file of the operator's, Payara's logproperties option) is left as configured.
 * <p>
 * The runtime the build leaves next to the WAR starts quietly (its logging.properties, see pom.xml):
 * Payara's records before deployment, which this class cannot format, are warnings and errors only.
 * Once the application is deployed, Payara's final status (its version, port and "ready") is worth
 * printing again.
 */
@ApplicationScoped
public class LogSetup {

    static final String ROOT_LOGGER = "io.tracestream";
    /** Payara Micro's own logger: quiet during boot, it prints the final status after deployment. */
    static final String RUNTIME_STATUS_LOGGER = "PayaraMicro";
    /** Payara's text formats (its console's default, and the other one it ships), which json mode replaces. */
    static final Set<String> SERVER_TEXT_FORMATS = Set.of(
            "com.sun.enterprise.server.logging.ODLLogFormatter",
            "com.sun.enterprise.server.logging.UniformLogFormatter");

    @Inject
    TraceStreamConfig config;

    /** The formatters (class names) replaced on the server's handlers; tests name their own. */
    Set<String> serverTextFormats = SERVER_TEXT_FORMATS;

    private Handler handler;
    /** The server's handlers whose formatter was replaced, with the formatter each had. */
    private final Map<Handler, Formatter> serverFormatters = new LinkedHashMap<>();
    private final Logger root = Logger.getLogger(ROOT_LOGGER);
    private final Logger server = Logger.getLogger("");
    private final Logger runtimeStatus = Logger.getLogger(RUNTIME_STATUS_LOGGER);
    private boolean started;
    private Level runtimeStatusLevel;

    /**
     * Before the other start-up observers (default priority), because they create the event bus,
     * whose first lines (the backend chosen, the readers started) must be JSON too.
     */
    void onStartup(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE) @Initialized(ApplicationScoped.class) Object event) {
        if ("json".equalsIgnoreCase(config.logFormat())) {
            JsonLogFormatter json = new JsonLogFormatter(config.instanceName());
            handler = new StreamHandler(System.out, json) {
                @Override
                public synchronized void publish(java.util.logging.LogRecord record) {
                    super.publish(record);
                    flush(); // one line at a time, as a log shipper reads them
                }
            };
            root.addHandler(handler);
            root.setUseParentHandlers(false);
            for (Handler h : server.getHandlers()) {
                Formatter format = h.getFormatter();
                if (format != null && serverTextFormats.contains(format.getClass().getName())) {
                    serverFormatters.put(h, format);
                    h.setFormatter(json);
                }
            }
        }
        runtimeStatusLevel = runtimeStatus.getLevel();
        runtimeStatus.setLevel(Level.INFO);
        started = true;
    }

    /** On undeployment: nothing of this application's class loader stays in the server's logging. */
    @PreDestroy
    void restore() {
        if (handler != null) {
            root.removeHandler(handler);
            root.setUseParentHandlers(true);
            handler = null;
        }
        serverFormatters.forEach(Handler::setFormatter);
        serverFormatters.clear();
        if (started) {
            runtimeStatus.setLevel(runtimeStatusLevel);
            started = false;
        }
    }
}
